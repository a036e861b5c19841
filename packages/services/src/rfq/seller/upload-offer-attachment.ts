import { createHash } from "node:crypto";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { detectDocumentType, documentName } from "../../sellers/documents";
import { newStorageKey, type StorageDeps } from "../../storage/document-storage";
import { lockOfferForAttachments, OFFER_ATTACHMENT_LIMITS, readOfferFile, type OfferAttachmentView, type UploadOfferAttachmentInput } from "./offer-attachments";
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
  const file = await readOfferFile(input.file);
  const bytes = file.bytes;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (bytes.byteLength === 0) throw validationError({ file: [file.name === "" ? "offerAttachment.required" : "offerAttachment.empty"] });
  if (bytes.byteLength > OFFER_ATTACHMENT_LIMITS.maxBytes) throw validationError({ file: ["offerAttachment.too_large"] });
  const contentType = detectDocumentType(bytes);
  if (!contentType) throw validationError({ file: ["offerAttachment.type_not_allowed"] });
  const name = documentName(file.name);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const key = newStorageKey(["offers", actor.organizationId]);
  // Stored before the transaction, under a fresh key nothing refers to yet: writing up to 10 MiB
  // while holding the RFQ's share lock would keep every other seller's offer waiting, possibly
  // past the deadline. The row that makes it visible is inserted under the lock, after the checks.
  await storage.put(key, bytes);
  try {
    return await withTransaction(deps.db, async (trx) => {
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
    });
  } catch (error) {
    // Refused, or the commit itself failed: no row, so no file either (a file left by a crash in
    // between is unreferenced, so never served).
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
}
