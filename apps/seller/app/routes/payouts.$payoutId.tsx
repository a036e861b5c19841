import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSellerPayoutStatement } from "@souk/services";
import { pageTitle, PayoutStatementPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "payoutStatement.title", { reference: page?.statement.payout.reference ?? "" });

/** The statement of one of the seller's payouts (owners); another seller's payout is not found. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  return { statement: await orErrorPage(getSellerPayoutStatement(deps, { payoutId: params.payoutId })) };
}

export default function PayoutStatement() {
  return <PayoutStatementPage {...useLoaderData<typeof loader>()} />;
}
