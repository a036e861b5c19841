import { createHash } from "node:crypto";
import { can, DomainError, forbidden, notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { buyerRfq, sellerRfq } from "../access";
import type { OfferAttachmentRefInput } from "./offer-attachments";
import { assertSellerRfqCan, refId, rfqIdOf } from "./shared";

export interface OfferAttachmentContent {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * A file of an offer, for download:
 * - by the seller that owns the offer (any time it may still see the RFQ);
 * - by the RFQ's buyer, only when it may see the offer itself: open (not sealed) bidding, or once
 *   the RFQ has closed (closed or awarded), and only for an offer in the competition (not withdrawn).
 * Anyone else, and the buyer of a sealed RFQ before its close, gets NOT_FOUND, exactly like a file
 * that does not exist. A stored file that is missing or altered is never served (INVARIANT).
 */
export async function readOfferAttachment(deps: ActorDeps & StorageDeps, input: OfferAttachmentRefInput): Promise<OfferAttachmentContent> {
  const { actor, storage } = deps;
  const rfqId = rfqIdOf(input);
  const attachmentId = refId(input.attachmentId, "Attachment");
  let query = deps.db
    .selectFrom("offer_attachments as a")
    .innerJoin("offers as o", "o.id", "a.offer_id")
    .select(["a.original_name", "a.content_type", "a.storage_key", "a.sha256"])
    .where("a.id", "=", attachmentId)
    .where("a.rfq_id", "=", rfqId);
  if (actor.organizationKind === "seller") {
    assertSellerRfqCan(actor, "read:rfq-inbox:org");
    await sellerRfq(deps.db, actor.organizationId, rfqId);
    query = query.where("a.seller_id", "=", actor.organizationId);
  } else if (actor.organizationKind === "buyer") {
    if (!can("buyer", actor.role, "read:rfqs:org")) throw forbidden("Missing permission read:rfqs:org");
    const rfq = await buyerRfq(deps.db, actor.organizationId, rfqId);
    const offersVisible = rfq.sealing === "open" ? rfq.status !== "draft" && rfq.status !== "cancelled" : rfq.status === "closed" || rfq.status === "awarded";
    if (!offersVisible) throw notFound("Attachment");
    query = query.where("o.status", "in", ["submitted", "revised", "locked"]);
  } else {
    throw notFound("Attachment");
  }
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Attachment");
  const bytes = await storage.get(row.storage_key);
  if (!bytes || createHash("sha256").update(bytes).digest("hex") !== row.sha256) throw new DomainError("INVARIANT", "offerAttachment.unavailable");
  return { name: row.original_name, contentType: row.content_type, bytes };
}
