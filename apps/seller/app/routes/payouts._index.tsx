import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSellerPayouts } from "@souk/services";
import { pageTitle, SellerPayoutsPage } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerMoney.payouts.title");

/** The seller's payouts, newest first (owners). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  const { filters: _filters, filterErrors: _filterErrors, ...view } = await listWithFilters(request, (input) => listSellerPayouts(deps, input));
  return { view };
}

export default function SellerPayouts() {
  return <SellerPayoutsPage {...useLoaderData<typeof loader>()} />;
}
