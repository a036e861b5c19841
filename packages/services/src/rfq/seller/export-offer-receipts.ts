import type { ActorDeps } from "../../deps";
import { sellerFacingStatus } from "@souk/domain";
import { sellerRfq, sellerShortlisted } from "../access";
import { assertSellerRfqCan, clockNow, firstRoundChain, rfqIdOf, rfqReference } from "./shared";

export interface ExportOfferReceiptsInput {
  rfqId: unknown;
}

export interface OfferReceiptsExport {
  fileName: string;
  /** The JSON document, pretty-printed (each receipt's `content` is the exact text that was hashed). */
  json: string;
}

/** How anyone checks the receipts, with nothing but SHA-256. Kept in every export. */
export const RECEIPTS_VERIFICATION_TEXT = [
  "Each receipt's hash is SHA-256 (hex) of the UTF-8 text: previousHash (empty for the first receipt of the RFQ) + a line feed + content + a line feed + recordedAt.",
  "content is the canonical JSON of the offer (keys sorted, no whitespace) exactly as hashed; recordedAt is ISO 8601 in UTC with milliseconds.",
  "Receipts of one RFQ form a single chain across every seller: each previousHash is the hash of the receipt with the sequence just before it.",
  "Your receipts are part of that chain. While the RFQ is open, the export leaves out each receipt's sequence and previousHash (they would tell how many receipts other sellers wrote in between); they are included once it is no longer open. Once the RFQ has closed, its chain head (the hash of the last receipt) is shown to every participant after the whole chain was verified: if your last receipt is, or leads to, that head, nothing you offered was changed after the deadline.",
].join(" ");

/**
 * The seller's own receipts on one RFQ as a JSON document for download, with the RFQ's chain
 * head once it has closed (before, the head moves with every other seller's offer, and is not
 * shown; nor are the receipts' sequences and previous hashes) and how to verify them. Another seller's receipts are never included.
 */
export async function exportOfferReceipts(deps: ActorDeps, input: ExportOfferReceiptsInput): Promise<OfferReceiptsExport> {
  const { actor, db } = deps;
  assertSellerRfqCan(actor, "read:rfq-inbox:org");
  const rfqId = rfqIdOf(input);
  const rfq = await sellerRfq(db, actor.organizationId, rfqId);
  const [receipts, now] = await Promise.all([
    db
      .selectFrom("offer_revisions")
      .select(["sequence", "kind", "revision", "recorded_at", "previous_hash", "hash", "content"])
      .where("rfq_id", "=", rfqId)
      .where("seller_id", "=", actor.organizationId)
      .orderBy("sequence")
      .execute(),
    clockNow(db),
  ]);
  const reference = rfqReference(rfq.number);
  // A best-and-final round is open to its shortlist and, to every other seller, the RFQ as its
  // first close left it (get-seller-rfq.ts): the same status, deadline and chain here.
  const shortlisted = rfq.first_deadline !== null && (await sellerShortlisted(db, rfqId, actor.organizationId));
  const frozen = rfq.status === "final_round" && !shortlisted;
  const status = sellerFacingStatus(rfq.status, shortlisted);
  const deadline = rfq.first_deadline !== null && !shortlisted ? rfq.first_deadline : rfq.deadline;
  const closed = status === "closed" || status === "awarded";
  // While the RFQ is open, a receipt's place in the chain (its sequence, the previous hash) would
  // tell the seller how many times its competitors wrote in between: kept until it is over.
  const chainShown = status !== "open";
  const document = {
    format: "souk.offer-receipts/1",
    exportedAt: now.toISOString(),
    rfq: { id: rfq.id, number: reference, title: rfq.title, status, deadline: deadline ? new Date(deadline).toISOString() : null },
    sellerId: actor.organizationId,
    receipts: receipts.map((r) => ({
      ...(chainShown ? { sequence: r.sequence } : {}),
      kind: r.kind,
      revision: r.revision,
      recordedAt: new Date(r.recorded_at).toISOString(),
      ...(chainShown ? { previousHash: r.previous_hash } : {}),
      hash: r.hash,
      content: r.content,
    })),
    chain: !closed
      ? null
      : frozen
        ? await firstRoundChain(db, rfq)
        : { head: rfq.chain_head, length: rfq.chain_length, verifiedAt: rfq.chain_verified_at ? new Date(rfq.chain_verified_at).toISOString() : null },
    verification: RECEIPTS_VERIFICATION_TEXT,
  };
  return { fileName: `${reference}-receipts.json`, json: `${JSON.stringify(document, null, 2)}\n` };
}
