import type { LoaderFunctionArgs } from "@remix-run/node";
import { readBuyerListingImage } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** An image of a listing the buyer may see; any other (restricted, unknown, another listing's) is the same 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return download(request, async () => {
    const image = await readBuyerListingImage(deps, { listingId: params.listingId, imageId: params.imageId });
    return { name: image.fileName, contentType: image.contentType, bytes: image.bytes };
  });
}
