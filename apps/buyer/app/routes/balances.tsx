import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getBuyerBalances } from "@souk/services";
import { BuyerBalancesPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "buyerBalances.title");

/** What the organisation owes each seller, per currency, for its settled orders (refunds deducted). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  return { balances: await orErrorPage(getBuyerBalances(deps)) };
}

export default function Balances() {
  return <BuyerBalancesPage {...useLoaderData<typeof loader>()} />;
}
