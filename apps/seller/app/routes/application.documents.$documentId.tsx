import type { LoaderFunctionArgs } from "@remix-run/node";
import { readApplicationDocument } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** One of the seller's own supporting documents, as a download; another seller's is not found. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:organization:org");
  return download(request, async () => {
    const file = await readApplicationDocument(deps, { documentId: params.documentId });
    return { name: file.originalName, contentType: file.contentType, bytes: file.bytes };
  });
}
