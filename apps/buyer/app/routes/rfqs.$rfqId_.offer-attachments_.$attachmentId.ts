import type { LoaderFunctionArgs } from "@remix-run/node";
import { readOfferAttachment } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/**
 * A seller's file with its offer on one of the buyer's RFQs: only once the buyer may see the offer
 * itself (open bidding, or after the close); before that, and for anything else, the same 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return download(request, () => readOfferAttachment(deps, { rfqId: params.rfqId, attachmentId: params.attachmentId }));
}
