import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { buyerRfq } from "../access";
import { assertBuyerRfqCan, dbNow, refId } from "./shared";
import { publishLocked } from "./write-rfq";

export const publishRfqSchema = z.object({ rfqId: z.string() });
export type PublishRfqInput = z.input<typeof publishRfqSchema>;

/**
 * Publishes one of the buyer's drafts: its deadline must be ahead of the database clock (and set),
 * its invited sellers still active. The closing job is scheduled at the deadline (an outbox row
 * available then), the invited sellers are told, the live pages hear `status`.
 * Another buyer's RFQ is NOT_FOUND; anything but a draft is ILLEGAL_TRANSITION.
 */
export async function publishRfq(deps: ActorDeps, input: unknown): Promise<{ id: string; status: "open"; deadline: Date }> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const rfqId = refId((input as { rfqId?: unknown } | null)?.rfqId, "RFQ");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    const rfq = await buyerRfq(trx, actor.organizationId, rfqId, "update");
    const published = await publishLocked(trx, deps, rfq, await dbNow(trx));
    return { id: published.id, status: "open" as const, deadline: published.deadline as Date };
  });
}
