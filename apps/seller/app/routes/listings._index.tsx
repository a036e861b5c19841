import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSellerListings } from "@souk/services";
import { pageTitle, SellerListingsPage } from "@souk/ui";
import { APP } from "../lib/app";
import { requireTradingSeller } from "../lib/trading.server";
import { listWithFilters } from "@souk/ui/server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerListings.title");

/** The seller's listings: status tab, text filter and page come from the URL (a GET form), so every view has its own link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  const { filters, filterErrors, ...listings } = await listWithFilters(request, (input) => listSellerListings(deps, input));
  return { listings, filters, filterErrors };
}

export default function Listings() {
  return <SellerListingsPage {...useLoaderData<typeof loader>()} />;
}
