import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSellerSettlements } from "@souk/services";
import { pageTitle, SellerSettlementsPage } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerMoney.settlements.title");

/** The seller's settled orders, newest first, each with its gross, commission, net and refunds (owners). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  const { filters: _filters, filterErrors: _filterErrors, ...view } = await listWithFilters(request, (input) => listSellerSettlements(deps, input));
  return { view };
}

export default function MoneySettlements() {
  return <SellerSettlementsPage {...useLoaderData<typeof loader>()} />;
}
