import type { LoaderFunctionArgs } from "@remix-run/node";
import { readSellerDocument } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** A seller's supporting document, downloaded by a reviewer (each read is audited by the service). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "review:sellers:any");
  return download(request, async () => {
    const file = await readSellerDocument(deps, { organizationId: params.organizationId, documentId: params.documentId });
    return { name: file.originalName, contentType: file.contentType, bytes: file.bytes };
  });
}
