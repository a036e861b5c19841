import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { can } from "@souk/domain";
import { getBuyerListing } from "@souk/services";
import { BuyerListingPage, pageTitle, MessageLink } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueCartAction, cataloguePurchasing } from "../lib/purchasing.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "buyerCatalogue.title").map(({ title }) => ({ title: page ? `${page.listing.title} · ${title}` : title }));

/**
 * A listing and the buyer's price for `?quantity=` (the minimum order by default). A listing this
 * buyer may not see is the same 404 as one that does not exist.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  const askedQuantity = new URL(request.url).searchParams.get("quantity");
  const listing = await orErrorPage(getBuyerListing(deps, { listingId: params.listingId, quantity: askedQuantity ?? undefined }));
  return { listing, askedQuantity, canRequestQuote: can(deps.actor.organizationKind, deps.actor.role, "create:rfq:org"), purchasing: await cataloguePurchasing(deps) };
}

/** "Add to cart" / "Add to list": back to this page. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return catalogueCartAction(request, deps);
}

export default function CatalogueListing() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <BuyerListingPage {...page} result={useActionData<typeof action>()} />
      <p>
        <MessageLink app="buyer" subject={{ kind: "listing", id: page.listing.id }} label="conversations.link.messageSellerNamed" params={{ name: page.listing.seller.name }} />
      </p>
    </>
  );
}
