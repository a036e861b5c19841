import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { deleteListingImage, getSellerListing, LISTING_IMAGE_LIMITS, listCategories, moveSellerListing, updateListing, uploadListingImage } from "@souk/services";
import { pageTitle, SELLER_LISTING_INTENT, SellerListingPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { CURRENCY_CODES, LISTING_IMAGE_RULES } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "sellerListings.title").map(({ title }) => ({ title: page ? `${page.listing.fields.title} · ${title}` : title }));

/** One of the seller's listings: its form, status moves and images. Another seller's listing is not found. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  const [listing, categories] = await orErrorPage(Promise.all([getSellerListing(deps, { listingId: params.listingId }), listCategories(deps, {})]));
  return { listing, categories, groups: listing.groups, currencies: CURRENCY_CODES, imageRules: LISTING_IMAGE_RULES };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  // The listing is the one in the URL, never a form field.
  const listingId = params.listingId;
  const page = `/listings/${listingId}`;
  const upload = { maxBytes: LISTING_IMAGE_LIMITS.maxBytes, tooLarge: "image.too_large", intent: SELLER_LISTING_INTENT.uploadImage };
  return catalogueFormAction(request, { lists: ["groupIds"], upload }, async ({ intent, input }) => {
    switch (intent) {
      case SELLER_LISTING_INTENT.save: {
        const { outcome } = await updateListing(deps, { ...input, listingId });
        return guards.redirectWith(page, { flash: outcome === "unchanged" ? "flash.sellerCatalogue.listingUnchanged" : "flash.sellerCatalogue.listingSaved" });
      }
      case SELLER_LISTING_INTENT.publish:
      case SELLER_LISTING_INTENT.unlist: {
        await moveSellerListing(deps, { listingId, move: intent });
        return guards.redirectWith(page, { flash: intent === "publish" ? "flash.sellerCatalogue.listingPublished" : "flash.sellerCatalogue.listingUnlisted" });
      }
      case SELLER_LISTING_INTENT.uploadImage:
        await uploadListingImage(deps, { listingId, file: input.file });
        return guards.redirectWith(`${page}#images`, { flash: "flash.sellerCatalogue.imageUploaded" });
      case SELLER_LISTING_INTENT.deleteImage:
        await deleteListingImage(deps, { listingId, imageId: input.imageId });
        return guards.redirectWith(`${page}#images`, { flash: "flash.sellerCatalogue.imageRemoved" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function Listing() {
  return <SellerListingPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
