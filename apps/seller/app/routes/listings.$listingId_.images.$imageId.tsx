import type { LoaderFunctionArgs } from "@remix-run/node";
import { readSellerListingImage } from "@souk/services";
import { download } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/** An image of one of the seller's own listings (the thumbnails' source); another seller's is not found. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  return download(request, async () => {
    const image = await readSellerListingImage(deps, { listingId: params.listingId, imageId: params.imageId });
    return { name: image.fileName, contentType: image.contentType, bytes: image.bytes };
  });
}
