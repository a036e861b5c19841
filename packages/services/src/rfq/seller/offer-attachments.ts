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

