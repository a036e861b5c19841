import type { LoaderFunctionArgs } from "@remix-run/node";
import { readOfferAttachment } from "@souk/services";
import { download } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/** A file of the seller's own offer; another seller's is not found, whatever id the URL carries. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  return download(request, async () => {
    const file = await readOfferAttachment(deps, { rfqId: params.rfqId, attachmentId: params.attachmentId });
    return { name: file.name, contentType: file.contentType, bytes: file.bytes };
  });
}
