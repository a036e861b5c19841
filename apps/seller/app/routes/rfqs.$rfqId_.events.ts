import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Actor } from "@souk/domain";
import { getSellerRfq, sellerRfqEventMatters, type SellerRfqView } from "@souk/services";
import { eventStream, orErrorPage, withoutKeys } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

const PERMISSION = "read:rfq-inbox:org";

/**
 * The seller's deps as of now, or null when the stream's seller may no longer watch: the session
 * ended, the member left the organisation or lost the permission, the seller is no longer trading.
 * The guard resolves the session again (a new Request: the guards cache one resolution per request).
 */
async function currentDeps(request: Request, connected: Actor) {
  try {
    const { actor, deps } = await requireTradingSeller(new Request(request.url, { headers: request.headers }), PERMISSION);
    return actor.userId === connected.userId && actor.organizationId === connected.organizationId ? deps : null;
  } catch {
    return null;
  }
}

/**
 * The live stream of the seller's RFQ page (server-sent events): on a committed change of the RFQ
 * (PostgreSQL NOTIFY, through the process's one LISTEN connection) that can change what this seller
 * sees, the seller's own view is read again through getSellerRfq, with the seller's rights re-checked;
 * the event itself carries nothing. Which events matter is decided by the seller's own last view
 * (sellerRfqEventMatters): on a sealed RFQ another seller's offer is not even re-read. A view equal
 * to the last one sent (but for its clock) is not sent, so another seller's write never shows as a
 * frame or its timing. The stream ends when the seller can no longer watch (access lost, removed
 * from the organisation, suspended, signed out).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, deps } = await requireTradingSeller(request, PERMISSION);
  let view: SellerRfqView = await orErrorPage(getSellerRfq(deps, { rfqId: params.rfqId }));
  const rfqId = view.rfq.id;
  return eventStream(request, {
    subscribe: (notify) =>
      deps.rfqEvents.subscribe(rfqId, (event) => {
        if (sellerRfqEventMatters(event.kind, view)) notify();
      }),
    snapshot: async () => {
      const current = await currentDeps(request, actor);
      if (!current) return null;
      view = await getSellerRfq(current, { rfqId });
      return view;
    },
    ignore: withoutKeys<SellerRfqView>("serverNow"),
  });
}
