import { z } from "zod";
import type { DocumentContentType } from "@souk/db";
import { assertOfferWindow, validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { sellerRfq } from "../access";
import { clockAgainstDeadline, LIVE_OFFER_STATUSES, lockTradingSeller, windowInstant } from "./shared";

/**
 * A seller's files with its offer (specifications, certificates, a formal quote): PDF, PNG, JPEG
 * or WebP by their first bytes (never by name or claimed type), 10 MiB at most, 5 per offer. They
 * are added and removed only while the offer window is open and the offer is live; the buyer reads
 * them with the offer, so for a sealed RFQ only once it has closed.
 */
export const OFFER_ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPerOffer: 5,
  types: ["application/pdf", "image/png", "image/jpeg", "image/webp"],
} as const satisfies { maxBytes: number; maxPerOffer: number; types: readonly DocumentContentType[] };

/** For the file input's `accept` attribute: a hint to the browser's picker, not a check. */
export const OFFER_ATTACHMENT_ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp";

const uploadedFile = z.union([
  z.instanceof(Blob),
  z.object({ name: z.string().max(4096), type: z.string().max(255).optional(), bytes: z.instanceof(Uint8Array) }),
]);

export interface UploadOfferAttachmentInput {
  rfqId: unknown;
  /** A web File (multipart form) or `{ name, bytes }`. */
  file: unknown;
}

export interface OfferAttachmentView {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
}

export async function readOfferFile(value: unknown): Promise<{ name: string; bytes: Uint8Array }> {
  const parsed = uploadedFile.safeParse(value);
  if (!parsed.success) throw validationError({ file: ["offerAttachment.required"] });
  const file = parsed.data;
  if (!(file instanceof Blob)) return { name: file.name, bytes: file.bytes };
  // Known before reading it: a huge upload is refused without copying it into memory again.
  if (file.size > OFFER_ATTACHMENT_LIMITS.maxBytes) throw validationError({ file: ["offerAttachment.too_large"] });
  return { name: file instanceof File ? file.name : "", bytes: new Uint8Array(await file.arrayBuffer()) };
}

/**
 * Locks the seller and the RFQ (shared: attachments do not wait for one another, but an offer
 * write and the close wait for them), checks the offer window by the database clock, and locks
 * the seller's live offer. No live offer: VALIDATION `offerAttachment.no_offer` on `file`.
 */
export async function lockOfferForAttachments(trx: ActorDeps["db"], actor: ActorDeps["actor"], rfqId: string): Promise<{ offerId: string }> {
  await lockTradingSeller(trx, actor, "submit:offer:org");
  const rfq = await sellerRfq(trx, actor.organizationId, rfqId, "share");
  const clock = await clockAgainstDeadline(trx, rfqId);
  const deadline = rfq.deadline ? new Date(rfq.deadline) : null;
  const now = windowInstant(clock.now, clock.beforeDeadline, deadline);
  assertOfferWindow(rfq.status, deadline ?? now, now);
  const offer = await trx
    .selectFrom("offers")
    .select(["id", "status"])
    .where("rfq_id", "=", rfqId)
    .where("seller_id", "=", actor.organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!offer || !(LIVE_OFFER_STATUSES as readonly string[]).includes(offer.status)) throw validationError({ file: ["offerAttachment.no_offer"] });
  return { offerId: offer.id };
}

export interface OfferAttachmentRefInput {
  rfqId: unknown;
  attachmentId: unknown;
}

