import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createListing, listCategories, listCustomerGroups } from "@souk/services";
import { pageTitle, SellerListingPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { CURRENCY_CODES, LISTING_IMAGE_RULES } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerListings.new");

/** The form of a new listing: the category tree and the seller's customer groups to choose from. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  const [categories, groups] = await orErrorPage(Promise.all([listCategories(deps, {}), listCustomerGroups(deps, {})]));
  return { categories, groups: groups.map(({ id, name }) => ({ id, name })), currencies: CURRENCY_CODES, imageRules: LISTING_IMAGE_RULES };
}

/** Creates the listing as a draft and goes to its page, where images and publishing follow. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  return catalogueFormAction(request, { lists: ["groupIds"] }, async ({ input }) => {
    const { id } = await createListing(deps, input);
    return guards.redirectWith(`/listings/${id}`, { flash: "flash.sellerCatalogue.listingCreated" });
  });
}

export default function NewListing() {
  return <SellerListingPage listing={null} {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
