import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { newStorageKey, type StorageDeps } from "../../storage/document-storage";
import { buyerRfq } from "../access";
import { checkUploadedDocument, storeThenRecord } from "../../storage/uploaded-document";
import { RFQ_ATTACHMENT_LIMITS, rfqUploadSchema } from "./attachments";
import { assertBuyerRfqCan, dbNow, refId } from "./shared";
import { assertRfqEditable } from "./write-rfq";

export const uploadRfqAttachmentSchema = z.object({ rfqId: z.unknown(), file: rfqUploadSchema });
export type UploadRfqAttachmentInput = z.input<typeof uploadRfqAttachmentSchema>;

export interface UploadedRfqAttachment {
  id: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * Adds a file to one of the buyer's RFQs while it may be edited (a draft, or an open RFQ without a
 * live offer: what sellers answer does not change under them). Refused with a field error of
 * `file`, with nothing stored (no file, no row), when it is missing or empty, over 10 MiB, not a
 * PDF/PNG/JPEG/WebP by its first bytes, or the RFQ already has 10. Another buyer's RFQ is NOT_FOUND.
 *
 * The file is written under a fresh random key before the row is inserted, and removed again if
 * the transaction fails, so a committed row always has its file.
 */
export async function uploadRfqAttachment(deps: ActorDeps & StorageDeps, input: unknown): Promise<UploadedRfqAttachment> {
  const { actor, storage } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const raw = (input ?? {}) as { rfqId?: unknown; file?: unknown };
  const rfqId = refId(raw.rfqId, "RFQ");
  const { name: originalName, bytes, contentType, sha256 } = await checkUploadedDocument(raw.file, { maxBytes: RFQ_ATTACHMENT_LIMITS.maxBytes, messages: "rfqAttachment" });
  const buyerId = actor.organizationId;

  const key = newStorageKey(["rfqs", buyerId]);
  return storeThenRecord(storage, key, bytes, () =>
    withTransaction(deps.db, async (trx) => {
      await assertStillPermitted(trx, actor, "create:rfq:org");
      // Under the RFQ's lock: two uploads at once cannot both take the last place, and no offer lands meanwhile.
      const rfq = await buyerRfq(trx, buyerId, rfqId, "update");
      await assertRfqEditable(trx, rfq, await dbNow(trx));
      const { n } = await trx
        .selectFrom("rfq_attachments")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("rfq_id", "=", rfq.id)
        .executeTakeFirstOrThrow();
      if (Number(n) >= RFQ_ATTACHMENT_LIMITS.maxPerRfq) throw validationError({ file: ["rfqAttachment.too_many"] });

      const row = await trx
        .insertInto("rfq_attachments")
        .values({ rfq_id: rfq.id, original_name: originalName, content_type: contentType, size_bytes: bytes.byteLength, sha256, storage_key: key, uploaded_by: actor.userId })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id, originalName, contentType, sizeBytes: bytes.byteLength };
    }),
  );
}
