import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSellerBalance } from "@souk/services";
import { pageTitle, SellerMoneyPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { payoutConfig } from "../env.server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerMoney.title");

/**
 * The seller's balance per currency and when the next payout run is due (by the worker's cycle,
 * PAYOUT_CYCLE_DAYS), for owners. Not limited to trading sellers: a suspended seller still reads its
 * money, and sees that its payouts are held.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  return { balance: await orErrorPage(getSellerBalance(deps, { cycleDays: payoutConfig.cycleDays })) };
}

export default function Money() {
  return <SellerMoneyPage {...useLoaderData<typeof loader>()} />;
}
