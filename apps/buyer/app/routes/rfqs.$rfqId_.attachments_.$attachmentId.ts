import type { LoaderFunctionArgs } from "@remix-run/node";
import { readRfqAttachment } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** A file of one of the buyer's RFQs; any other (another RFQ's, another buyer's, unknown) is the same 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return download(request, async () => {
    const file = await readRfqAttachment(deps, { rfqId: params.rfqId, attachmentId: params.attachmentId });
    return { name: file.fileName, contentType: file.contentType, bytes: file.bytes };
  });
}
