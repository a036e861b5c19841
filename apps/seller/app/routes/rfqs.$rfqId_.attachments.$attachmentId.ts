import type { LoaderFunctionArgs } from "@remix-run/node";
import { readRfqAttachment } from "@souk/services";
import { download } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/** A document the buyer attached to an RFQ the seller may see; any other is not found. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  return download(request, async () => {
    const file = await readRfqAttachment(deps, { rfqId: params.rfqId, attachmentId: params.attachmentId });
    return { name: file.fileName, contentType: file.contentType, bytes: file.bytes };
  });
}
