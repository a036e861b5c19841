import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError, type Actor } from "@souk/domain";
import { getBuyerRfq, getBuyerRfqLive, type BuyerRfqView } from "@souk/services";
import { eventStream, withoutKeys } from "@souk/ui/server";
import { guards } from "../services.server";

const PERMISSION = "read:rfqs:org";

/**
 * The buyer's deps as of now, or null when the stream's member may no longer watch: the session
 * ended, the member left the organisation or lost the permission. The guard resolves the session
 * again (a new Request: the guards cache one resolution per request).
 */
async function currentDeps(request: Request, connected: Actor) {
  try {
    const { actor, deps } = await guards.requireActor(new Request(request.url, { headers: request.headers }), PERMISSION);
    return actor.userId === connected.userId && actor.organizationId === connected.organizationId ? deps : null;
  } catch {
    return null;
  }
}

/**
 * The live board of one of the buyer's RFQs (server-sent events): a snapshot read through the
 * services with the buyer's rights (re-checked each time) after each committed change the RFQ's
 * channel announces, never the event itself. A snapshot equal to the last one sent, but for the
 * read's clock and the RFQ's `updatedAt`, is not sent: on a sealed RFQ a revision changes nothing
 * the buyer may see, so it is not a frame either (only the count of offers shows). Another buyer's
 * RFQ is refused before any stream opens; the stream ends when the member may no longer watch.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, deps } = await guards.requireActor(request, PERMISSION);
  let rfqId: string;
  try {
    rfqId = (await getBuyerRfq(deps, { rfqId: params.rfqId })).id;
  } catch (error) {
    if (!isDomainError(error) || error.status >= 500) throw error;
    return new Response(null, { status: error.status, headers: { "Cache-Control": "no-store" } });
  }
  return eventStream(request, {
    subscribe: (notify) => deps.rfqEvents.subscribe(rfqId, notify),
    snapshot: async () => {
      const current = await currentDeps(request, actor);
      return current ? getBuyerRfqLive(current, { rfqId }) : null;
    },
    ignore: withoutKeys<BuyerRfqView>("serverNow", "updatedAt"),
  });
}
