import { createHash } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import type { Db } from "@souk/db";
import { RFQ_EVENTS_CHANNEL, type RfqEvent, type RfqEventKind } from "../live";
import { StaleOfferState } from "./stale-offer-state";

/**
 * The offer receipts: one append-only chain per RFQ (offer_revisions). Each submission, revision
 * and withdrawal appends one receipt whose hash covers the previous receipt's hash, the offer's
 * canonical content and the instant it was recorded:
 *
 *   hash = sha256hex((previousHash ?? "") + "\n" + content + "\n" + recordedAt.toISOString())
 *
 * `content` is the canonical JSON text (keys sorted at every level, no whitespace) exactly as
 * hashed and stored, so anyone holding the rows (or a seller holding its downloaded receipts and
 * the head shown at closing) can recompute the chain with nothing but SHA-256.
 *
 * Offer writes never touch rfqs.updated_at: it is the buyer's edit time, and moving it with each
 * sealed offer would show the buyer when offers come in.
 *
 * The chain is written under the RFQ's row lock (the caller holds it): the sequence is
 * rfqs.chain_length + 1 and the previous hash rfqs.chain_head, both read under that lock, so two
 * offers can never take the same place or fork the chain.
 */

export type ReceiptKind = "submitted" | "revised" | "withdrawn";

/** What a receipt says of the offer (the content before canonicalisation). */
export interface OfferReceiptContent {
  rfqId: string;
  offerId: string;
  sellerId: string;
  revision: number;
  kind: ReceiptKind;
  currency: string;
  leadTimeDays: number;
  /** ISO 8601. */
  validUntil: string;
  notes: string;
  lines: readonly { lineId: string; quantity: number; unitPriceMinor: string }[];
  /**
   * Why the receipt was written when it is not a plain first-round write: a withdrawal the seller
   * did not ask for ("seller.suspended", with the decision), a revision of a best-and-final round
   * (FINAL_ROUND_RECEIPT_REASON), a counter-proposal's answer.
   */
  reason?: { code: string; decisionId?: string };
}

/** The reason of a receipt written in a best-and-final round. */
export const FINAL_ROUND_RECEIPT_REASON = "rfq.final_round";

/** JSON with every object's keys sorted and no whitespace: one text for one value, whoever writes it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("canonicalJson: not a finite number");
    if (typeof value === "bigint") throw new Error("canonicalJson: bigint (write it as a string)");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The canonical text of an offer's receipt content: its lines in lineId order. */
export function offerContentText(content: OfferReceiptContent): string {
  const lines = [...content.lines].map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })).sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0));
  return canonicalJson({ ...content, lines });
}

export function receiptHash(previousHash: string | null, content: string, recordedAt: Date): string {
  return createHash("sha256")
    .update(`${previousHash ?? ""}\n${content}\n${recordedAt.toISOString()}`, "utf8")
    .digest("hex");
}

/**
 * A receipt as the seller gets it back when it writes. Not its sequence nor the previous hash: on
 * an open RFQ they would tell the seller how many times its competitors wrote (sealed bidding). It
 * gets them, with the verified head, once the RFQ is over (getSellerRfq, exportOfferReceipts).
 */
export interface OfferReceipt {
  /** The offer's revision the receipt records (a withdrawal records the revision it withdrew). */
  revision: number;
  hash: string;
  /** ISO 8601, the database clock under the RFQ's lock. */
  recordedAt: string;
}

export interface AppendReceiptInput {
  /** The RFQ as read under its row lock by the caller. */
  rfq: { id: string; chainHead: string | null; chainLength: number };
  content: OfferReceiptContent;
  /** The database clock read under the RFQ's lock. Its milliseconds are what the hash covers and what is stored. */
  recordedAt: Date;
  recordedBy: string | null;
  /** Other columns of the RFQ row to set in the same statement (an anti-sniping extension). */
  rfqChanges?: { deadline?: Date; extensions?: number };
  /**
   * Other writes of the same change, run in the same statement as named CTEs (the offer and its
   * lines): each is `name as (statement)`. One round trip under the lock instead of several.
   */
  alongside?: readonly RawBuilder<unknown>[];
  /** Live events to publish with it (pg_notify, delivered at commit), in the same statement. */
  events?: readonly RfqEventKind[];
  /**
   * The receipt is written only if the `alongside` CTE named `offer` returned a row (the offer
   * write found the row as it expected it); otherwise nothing is written and StaleOfferState is
   * thrown, for the caller to run its transaction again.
   */
  gatedByOffer?: boolean;
}

/**
 * Appends the receipt of `content` to the RFQ's chain and moves the chain's head, in one statement
 * (with the caller's other writes and live events, see `alongside` and `events`). The caller holds
 * the RFQ's row lock and passes the chain state it read under it.
 */
export async function appendReceipt(trx: Db, input: AppendReceiptInput): Promise<OfferReceipt> {
  const { rfq, content, recordedBy, rfqChanges } = input;
  // Stored and hashed at the same (millisecond) precision, so the stored row recomputes exactly.
  const recordedAt = new Date(input.recordedAt.getTime());
  const text = offerContentText(content);
  const sequence = rfq.chainLength + 1;
  const previousHash = rfq.chainHead;
  const hash = receiptHash(previousHash, text, recordedAt);
  const deadline = rfqChanges?.deadline ?? null;
  const extensions = rfqChanges?.extensions ?? null;
  const ctes = [
    ...(input.alongside ?? []),
    sql`receipt as (
      insert into offer_revisions (rfq_id, offer_id, seller_id, revision, kind, sequence, content, recorded_at, previous_hash, hash, recorded_by)
      select ${rfq.id}, ${content.offerId}, ${content.sellerId}, ${content.revision}, ${content.kind}, ${sequence}, ${text}, ${recordedAt}::timestamptz, ${previousHash}::text, ${hash}, ${recordedBy}::uuid
      ${input.gatedByOffer ? sql`where exists (select 1 from offer)` : sql``}
      returning id
    )`,
    sql`chain as (
      update rfqs set
        chain_head = ${hash},
        chain_length = ${sequence},
        deadline = coalesce(${deadline}::timestamptz, deadline),
        extensions = coalesce(${extensions}::integer, extensions)
      where id = ${rfq.id} and chain_length = ${rfq.chainLength} and exists (select 1 from receipt)
      returning id
    )`,
  ];
  const notifications = (input.events ?? []).map((kind) => sql`pg_notify(${RFQ_EVENTS_CHANNEL}, ${JSON.stringify({ rfqId: rfq.id, kind } satisfies RfqEvent)})`);
  const { rows } = await sql<{ recorded: number; moved: number }>`
    with ${sql.join(ctes, sql`, `)}
    select (select count(*)::int from receipt) as recorded, (select count(*)::int from chain) as moved${notifications.length > 0 ? sql`, ${sql.join(notifications, sql`, `)}` : sql``}`.execute(trx);
  if (rows[0]?.recorded !== 1) throw new StaleOfferState(`The offer on RFQ ${rfq.id} changed while its write waited for the lock`);
  // The RFQ's lock makes this impossible; a caller that forgot to hold it must not fork the chain.
  if (rows[0]?.moved !== 1) throw new Error(`The receipts chain of RFQ ${rfq.id} moved without its lock`);
  return { revision: content.revision, hash, recordedAt: recordedAt.toISOString() };
}

export interface ChainVerification {
  ok: boolean;
  /** Receipts found. */
  length: number;
  /** The head recorded on the RFQ. */
  head: string | null;
  /** The sequence of the first receipt that does not check (or length + 1 when the RFQ's head or length disagrees with the rows). */
  brokenAt?: number;
}

/**
 * Recomputes every receipt of the RFQ in sequence order from its stored content, time and previous
 * hash, and checks that each links to the one before, that the sequence has no gap, and that the
 * last one is the head recorded on the RFQ.
 */
export async function verifyRfqChain(db: Db, rfqId: string): Promise<ChainVerification> {
  const rfq = await db.selectFrom("rfqs").select(["chain_head", "chain_length"]).where("id", "=", rfqId).executeTakeFirst();
  if (!rfq) throw new Error(`No RFQ ${rfqId}`);
  const receipts = await db
    .selectFrom("offer_revisions")
    .select(["sequence", "content", "recorded_at", "previous_hash", "hash"])
    .where("rfq_id", "=", rfqId)
    .orderBy("sequence")
    .execute();
  let previous: string | null = null;
  for (const [index, r] of receipts.entries()) {
    const expected = index + 1;
    const broken = r.sequence !== expected || r.previous_hash !== previous || receiptHash(r.previous_hash, r.content, new Date(r.recorded_at)) !== r.hash;
    if (broken) return { ok: false, length: receipts.length, head: rfq.chain_head, brokenAt: Math.min(r.sequence, expected) };
    previous = r.hash;
  }
  if (previous !== rfq.chain_head || receipts.length !== rfq.chain_length) {
    return { ok: false, length: receipts.length, head: rfq.chain_head, brokenAt: receipts.length + 1 };
  }
  return { ok: true, length: receipts.length, head: rfq.chain_head };
}
