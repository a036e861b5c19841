import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getListingForModeration, moderateListing } from "@souk/services";
import { ModerationListingPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "operatorCatalogue.listings.title").map(({ title }) => ({ title: page ? `${page.listing.title} · ${title}` : title }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "moderate:listings:any");
  return { listing: await orErrorPage(getListingForModeration(deps, { listingId: params.listingId })) };
}

/** Block (with the reason the seller is shown) or unblock, then the page again with the outcome as a flash message. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "moderate:listings:any");
  return formAction(request, async (input) => {
    // The listing is the one in the URL, never a form field.
    const { status } = await moderateListing(deps, { ...input, listingId: params.listingId });
    return guards.redirectWith(`/listings/${params.listingId}`, { flash: status === "blocked" ? "operatorCatalogue.flash.listingBlocked" : "operatorCatalogue.flash.listingUnblocked" });
  });
}

export default function ListingModeration() {
  return <ModerationListingPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
