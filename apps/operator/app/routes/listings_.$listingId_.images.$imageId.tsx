import type { LoaderFunctionArgs } from "@remix-run/node";
import { readModeratedListingImage } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** An image of the listing under review, whatever its status (moderators judge images too). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "moderate:listings:any");
  return download(request, async () => {
    const image = await readModeratedListingImage(deps, { listingId: params.listingId, imageId: params.imageId });
    return { name: image.fileName, contentType: image.contentType, bytes: image.bytes };
  });
}
