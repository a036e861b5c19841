import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSellerRfq } from "@souk/services";
import { eventStream, orErrorPage } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/**
 * The live stream of the seller's RFQ page (server-sent events): on every committed change of the
 * RFQ (PostgreSQL NOTIFY, through the process's one LISTEN connection) the seller's own view is
 * read again through getSellerRfq, with the seller's rights; the event itself carries nothing.
 * The stream ends when the view can no longer be read (the seller lost access).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  const first = await orErrorPage(getSellerRfq(deps, { rfqId: params.rfqId }));
  const rfqId = first.rfq.id;
  return eventStream(request, {
    subscribe: (notify) => deps.rfqEvents.subscribe(rfqId, () => notify()),
    snapshot: () => getSellerRfq(deps, { rfqId }),
  });
}
