import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { lockOfferForAttachments, type OfferAttachmentRefInput } from "./offer-attachments";
import { assertSellerRfqCan, refId, rfqIdOf } from "./shared";

/** Removes a file from the seller's live offer while the window is open. Another seller's file: NOT_FOUND. */
export async function deleteOfferAttachment(deps: ActorDeps & StorageDeps, input: OfferAttachmentRefInput): Promise<{ attachmentId: string }> {
  const { actor, storage } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const attachmentId = refId(input.attachmentId, "Attachment");
  const removed = await withTransaction(deps.db, async (trx) => {
    const { offerId } = await lockOfferForAttachments(trx, actor, rfqId);
    const row = await trx
      .deleteFrom("offer_attachments")
      .where("id", "=", attachmentId)
      .where("offer_id", "=", offerId)
      .where("seller_id", "=", actor.organizationId)
      .returning(["id", "storage_key"])
      .executeTakeFirst();
    if (!row) throw notFound("Attachment");
    return row;
  });
  // After the commit: the removal is done whatever happens to the file. One left behind (a crash
  // in between, a storage failure) is unreferenced, so never served.
  await storage.delete(removed.storage_key).catch(() => undefined);
  return { attachmentId: removed.id };
}

