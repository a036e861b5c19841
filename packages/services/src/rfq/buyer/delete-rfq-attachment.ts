import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { formIdOf } from "../../input";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { buyerRfq } from "../access";
import { assertBuyerRfqCan, dbNow, refId } from "./shared";
import { assertRfqEditable } from "./write-rfq";

export const deleteRfqAttachmentSchema = z.object({ rfqId: z.unknown(), attachmentId: z.unknown() });
export type DeleteRfqAttachmentInput = z.input<typeof deleteRfqAttachmentSchema>;

/**
 * Removes a file from one of the buyer's RFQs, under the same rule as adding one (the RFQ may be
 * edited). The row goes in the transaction; the stored file after it commits (a file left behind
 * by a crash is unreferenced and never served). Another buyer's RFQ (the URL) is NOT_FOUND; a file
 * that is not this RFQ's (the delete button's field) is `attachmentId`: attachment.unknown.
 */
export async function deleteRfqAttachment(deps: ActorDeps & StorageDeps, input: unknown): Promise<{ id: string }> {
  const { actor, storage } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const raw = (input ?? {}) as { rfqId?: unknown; attachmentId?: unknown };
  const rfqId = refId(raw.rfqId, "RFQ");
  const attachmentId = formIdOf(raw.attachmentId, "attachmentId", "attachment.unknown");
  const key = await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    const rfq = await buyerRfq(trx, actor.organizationId, rfqId, "update");
    const row = await trx.deleteFrom("rfq_attachments").where("id", "=", attachmentId).where("rfq_id", "=", rfq.id).returning("storage_key").executeTakeFirst();
    if (!row) throw validationError({ attachmentId: ["attachment.unknown"] });
    // Checked after the lookup: an unknown file is that field error whatever the RFQ's state.
    await assertRfqEditable(trx, rfq, await dbNow(trx));
    return row.storage_key;
  });
  await storage.delete(key).catch(() => undefined);
  return { id: attachmentId };
}
