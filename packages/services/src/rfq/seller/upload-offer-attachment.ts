import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { newStorageKey, type StorageDeps } from "../../storage/document-storage";
import { checkUploadedDocument, storeThenRecord } from "../../storage/uploaded-document";
import { lockOfferForAttachments, OFFER_ATTACHMENT_LIMITS, type OfferAttachmentView, type UploadOfferAttachmentInput } from "./offer-attachments";
import { assertSellerRfqCan, rfqIdOf } from "./shared";

/**
 * Adds a file to the seller's live offer on the RFQ. Refused with a field error of `file`, with
 * nothing stored, when it is missing or empty, too large, of a type not accepted, one too many, or
 * when the seller has no live offer; at or after the deadline: CONFLICT `offer.deadline_passed`.
 */
export async function uploadOfferAttachment(deps: ActorDeps & StorageDeps, input: UploadOfferAttachmentInput): Promise<OfferAttachmentView> {
  const { actor, storage } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const { name, bytes, contentType, sha256 } = await checkUploadedDocument(input.file, { maxBytes: OFFER_ATTACHMENT_LIMITS.maxBytes, messages: "offerAttachment" });
  const key = newStorageKey(["offers", actor.organizationId]);
  // Stored before the transaction: writing up to 10 MiB while holding the RFQ's share lock would
  // keep every other seller's offer waiting, possibly past the deadline.
  return storeThenRecord(storage, key, bytes, () =>
    withTransaction(deps.db, async (trx) => {
      const { offerId } = await lockOfferForAttachments(trx, actor, rfqId);
      const { n } = await trx
        .selectFrom("offer_attachments")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("offer_id", "=", offerId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= OFFER_ATTACHMENT_LIMITS.maxPerOffer) throw validationError({ file: ["offerAttachment.too_many"] });
      const row = await trx
        .insertInto("offer_attachments")
        .values({
          offer_id: offerId,
          rfq_id: rfqId,
          seller_id: actor.organizationId,
          original_name: name,
          content_type: contentType,
          size_bytes: bytes.byteLength,
          sha256,
          storage_key: key,
          uploaded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id, name, contentType, sizeBytes: bytes.byteLength };
    }),
  );
}
