import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { formIdOf } from "../../input";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { lockOfferForAttachments, type OfferAttachmentRefInput } from "./offer-attachments";
import { assertSellerRfqCan, rfqIdOf } from "./shared";

/**
 * Removes a file from the seller's live offer while the window is open. The RFQ is the page's URL
 * (NOT_FOUND when the seller may not see it); the file, the delete button's field: another seller's,
 * an unknown one or one removed meanwhile is `attachmentId`: attachment.unknown.
 */
export async function deleteOfferAttachment(deps: ActorDeps & StorageDeps, input: OfferAttachmentRefInput): Promise<{ attachmentId: string }> {
  const { actor, storage } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const attachmentId = formIdOf(input.attachmentId, "attachmentId", "attachment.unknown");
  const removed = await withTransaction(deps.db, async (trx) => {
    const { offerId } = await lockOfferForAttachments(trx, actor, rfqId);
    const row = await trx
      .deleteFrom("offer_attachments")
      .where("id", "=", attachmentId)
      .where("offer_id", "=", offerId)
      .where("seller_id", "=", actor.organizationId)
      .returning(["id", "storage_key"])
      .executeTakeFirst();
    if (!row) throw validationError({ attachmentId: ["attachment.unknown"] });
    return row;
  });
  // After the commit: the removal is done whatever happens to the file. One left behind (a crash
  // in between, a storage failure) is unreferenced, so never served.
  await storage.delete(removed.storage_key).catch(() => undefined);
  return { attachmentId: removed.id };
}

