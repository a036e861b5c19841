import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "@souk/domain";
import { getBuyerRfq, getBuyerRfqLive } from "@souk/services";
import { eventStream } from "@souk/ui/server";
import { guards } from "../services.server";

/**
 * The live board of one of the buyer's RFQs (server-sent events): a snapshot read through the
 * services with the buyer's rights after each committed change the RFQ's channel announces, never
 * the event itself. Another buyer's RFQ is refused before any stream opens.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  let rfqId: string;
  try {
    rfqId = (await getBuyerRfq(deps, { rfqId: params.rfqId })).id;
  } catch (error) {
    if (!isDomainError(error) || error.status >= 500) throw error;
    return new Response(null, { status: error.status, headers: { "Cache-Control": "no-store" } });
  }
  return eventStream(request, {
    subscribe: (notify) => deps.rfqEvents.subscribe(rfqId, notify),
    snapshot: () => getBuyerRfqLive(deps, { rfqId }),
  });
}
