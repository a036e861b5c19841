import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";

/** An offer write the service reported as done, with what the seller sent. */
export interface Ack {
  sellerId: string;
  offerId: string;
  revision: number;
  /** The receipt's hash as the service returned it (null when it returned none). */
  hash: string | null;
  /** lineId → unit price in minor units, as sent. */
  prices: ReadonlyMap<string, bigint>;
}

export interface ReceiptRow {
  offer_id: string;
  seller_id: string;
  revision: number;
  kind: string;
  sequence: number;
  content: string;
  recorded_at: Date;
  previous_hash: string | null;
  hash: string;
}

export interface IntegrityReport {
  receipts: number;
  acknowledged: number;
  /** Acknowledged writes whose receipt is missing or differs, plus sellers whose stored offer is not their last acknowledged one. */
  lost: number;
  lostExamples: string[];
  /** Duplicate (offer, revision) receipts, duplicate or missing sequence numbers, revision gaps, a chain length that does not count the receipts. */
  duplicated: number;
  duplicatedExamples: string[];
  /** Receipts nobody was told about: a write that committed although its call failed. */
  unacknowledged: number;
  /** Receipts recorded at or after the deadline of the last-second phase. */
  late: number;
  lateExamples: string[];
  chain: { ok: boolean; checked: number; problem: string | null; head: string | null };
}

/** The receipt hash as the contract defines it: SHA-256 over previous hash, canonical content and recording instant. */
export function contractReceiptHash(previousHash: string | null, content: string, recordedAt: Date): string {
  return createHash("sha256")
    .update(`${previousHash ?? ""}\n${content}\n${recordedAt.toISOString()}`)
    .digest("hex");
}

/** Recomputes the chain receipt by receipt: sequence 1..n, each previous hash the hash before it, each hash what the contract says it is. */
export function recomputeChain(rows: readonly ReceiptRow[]): IntegrityReport["chain"] {
  let previous: string | null = null;
  for (const [index, row] of rows.entries()) {
    if (row.sequence !== index + 1) return { ok: false, checked: index, problem: `sequence ${row.sequence} where ${index + 1} was expected`, head: previous };
    if (row.previous_hash !== previous) return { ok: false, checked: index, problem: `receipt ${row.sequence} does not point at the receipt before it`, head: previous };
    const expected = contractReceiptHash(previous, row.content, row.recorded_at);
    if (row.hash !== expected) return { ok: false, checked: index, problem: `receipt ${row.sequence}: stored hash ${row.hash.slice(0, 12)}… recomputes to ${expected.slice(0, 12)}…`, head: previous };
    let content: { offerId?: unknown; sellerId?: unknown; revision?: unknown; kind?: unknown };
    try {
      content = JSON.parse(row.content) as typeof content;
    } catch {
      return { ok: false, checked: index, problem: `receipt ${row.sequence}: content is not JSON`, head: previous };
    }
    if (content.offerId !== row.offer_id || content.sellerId !== row.seller_id || content.revision !== row.revision || content.kind !== row.kind) {
      return { ok: false, checked: index, problem: `receipt ${row.sequence}: content does not describe its own row (offer, seller, revision, kind)`, head: previous };
    }
    previous = row.hash;
  }
  return { ok: true, checked: rows.length, problem: null, head: previous };
}

export async function receiptsOf(db: Kysely<Database>, rfqId: string): Promise<ReceiptRow[]> {
  return db
    .selectFrom("offer_revisions")
    .select(["offer_id", "seller_id", "revision", "kind", "sequence", "content", "recorded_at", "previous_hash", "hash"])
    .where("rfq_id", "=", rfqId)
    .orderBy("sequence")
    .execute();
}

/**
 * Everything that must hold after the run, read back from the database: every acknowledged write
 * has its receipt and nothing else has one, nothing is stored twice, the chain has no hole, no
 * receipt was recorded at or after `deadline`, each seller's stored offer is the last one it was
 * told was accepted, and the chain recomputes.
 */
export async function checkIntegrity(
  db: Kysely<Database>,
  input: { rfqId: string; /** PostgreSQL's text of the deadline (microseconds kept). */ deadline: string; acks: readonly Ack[] },
): Promise<IntegrityReport> {
  const rows = await receiptsOf(db, input.rfqId);
  const examples = (list: string[], line: string) => list.length < 5 && list.push(line);

  const lostExamples: string[] = [];
  let lost = 0;
  const byKey = new Map<string, ReceiptRow[]>();
  for (const row of rows) {
    const key = `${row.offer_id}#${row.revision}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const acknowledgedKeys = new Set<string>();
  for (const ack of input.acks) {
    const key = `${ack.offerId}#${ack.revision}`;
    acknowledgedKeys.add(key);
    const found = byKey.get(key);
    if (!found) {
      lost += 1;
      examples(lostExamples, `offer ${ack.offerId} revision ${ack.revision}: no receipt`);
    } else if (ack.hash !== null && !found.some((r) => r.hash === ack.hash)) {
      lost += 1;
      examples(lostExamples, `offer ${ack.offerId} revision ${ack.revision}: the stored receipt is not the one returned`);
    }
  }

  // The last acknowledged write of each seller must be what is stored now (a lost update otherwise).
  const lastAck = new Map<string, Ack>();
  for (const ack of input.acks) if ((lastAck.get(ack.offerId)?.revision ?? 0) < ack.revision) lastAck.set(ack.offerId, ack);
  const offers = await db.selectFrom("offers").select(["id", "seller_id", "revision"]).where("rfq_id", "=", input.rfqId).execute();
  const lines = await db.selectFrom("offer_lines").select(["offer_id", "line_id", "unit_price_minor"]).where("rfq_id", "=", input.rfqId).execute();
  const storedPrices = new Map<string, Map<string, bigint>>();
  for (const line of lines) {
    const prices = storedPrices.get(line.offer_id) ?? new Map<string, bigint>();
    prices.set(line.line_id, BigInt(line.unit_price_minor));
    storedPrices.set(line.offer_id, prices);
  }
  const storedRevision = new Map(offers.map((o) => [o.id, o.revision]));
  for (const ack of lastAck.values()) {
    const revision = storedRevision.get(ack.offerId);
    const prices = storedPrices.get(ack.offerId);
    const samePrices = prices !== undefined && prices.size === ack.prices.size && [...ack.prices].every(([lineId, price]) => prices.get(lineId) === price);
    if (revision !== ack.revision || !samePrices) {
      lost += 1;
      examples(lostExamples, `offer ${ack.offerId}: stored revision ${String(revision)} / prices ${samePrices ? "same" : "differ"}, last acknowledged revision ${ack.revision}`);
    }
  }

  const duplicatedExamples: string[] = [];
  let duplicated = 0;
  for (const [key, found] of byKey) {
    if (found.length > 1) {
      duplicated += found.length - 1;
      examples(duplicatedExamples, `${key}: ${found.length} receipts`);
    }
  }
  const sequences = new Set(rows.map((r) => r.sequence));
  if (sequences.size !== rows.length) {
    duplicated += rows.length - sequences.size;
    examples(duplicatedExamples, `${rows.length - sequences.size} repeated sequence numbers`);
  }
  const maxSequence = rows.reduce((max, r) => Math.max(max, r.sequence), 0);
  if (maxSequence !== sequences.size) {
    duplicated += Math.abs(maxSequence - sequences.size);
    examples(duplicatedExamples, `sequences run to ${maxSequence} over ${sequences.size} receipts (holes)`);
  }
  const revisionsByOffer = new Map<string, number[]>();
  for (const row of rows) revisionsByOffer.set(row.offer_id, [...(revisionsByOffer.get(row.offer_id) ?? []), row.revision]);
  for (const [offerId, revisions] of revisionsByOffer) {
    const distinct = new Set(revisions);
    const max = Math.max(...revisions);
    if (max !== distinct.size) {
      duplicated += 1;
      examples(duplicatedExamples, `offer ${offerId}: revisions up to ${max} but ${distinct.size} distinct`);
    }
  }
  const perSeller = await db
    .selectFrom("offers")
    .select((eb) => ["seller_id", eb.fn.countAll<string>().as("n")])
    .where("rfq_id", "=", input.rfqId)
    .groupBy("seller_id")
    .having((eb) => eb.fn.countAll(), ">", 1)
    .execute();
  for (const row of perSeller) {
    duplicated += Number(row.n) - 1;
    examples(duplicatedExamples, `seller ${row.seller_id}: ${row.n} offers on the RFQ`);
  }
  const rfq = await db.selectFrom("rfqs").select(["chain_length", "chain_head"]).where("id", "=", input.rfqId).executeTakeFirstOrThrow();
  if (rfq.chain_length !== rows.length) {
    duplicated += Math.abs(rfq.chain_length - rows.length);
    examples(duplicatedExamples, `rfqs.chain_length ${rfq.chain_length} for ${rows.length} receipts`);
  }

  const unacknowledged = [...byKey.keys()].filter((key) => !acknowledgedKeys.has(key)).length;

  // The database compares at its own (microsecond) precision.
  const lateRows = await db
    .selectFrom("offer_revisions")
    .select(["sequence", sql<string>`to_char(recorded_at at time zone 'UTC', 'HH24:MI:SS.US')`.as("at")])
    .where("rfq_id", "=", input.rfqId)
    .where("recorded_at", ">=", sql<Date>`${input.deadline}::timestamptz`)
    .orderBy("sequence")
    .execute();
  const lateExamples = lateRows.slice(0, 5).map((r) => `receipt ${r.sequence} recorded at ${r.at}`);

  const chain = recomputeChain(rows);
  if (chain.ok && rfq.chain_head !== chain.head) {
    return { receipts: rows.length, acknowledged: input.acks.length, lost, lostExamples, duplicated, duplicatedExamples, unacknowledged, late: lateRows.length, lateExamples, chain: { ...chain, ok: false, problem: "rfqs.chain_head is not the last receipt's hash" } };
  }
  return { receipts: rows.length, acknowledged: input.acks.length, lost, lostExamples, duplicated, duplicatedExamples, unacknowledged, late: lateRows.length, lateExamples, chain };
}

/**
 * How often the RFQ row lock changed hands during a phase, from consecutive receipts' recording
 * instants (each read just after the lock was granted): the time from one offer getting the RFQ to
 * the next one getting it, i.e. how long each offer keeps every other seller of the RFQ waiting.
 * Instants are stored to the millisecond, so the mean is taken over the span, not over the gaps.
 */
export async function lockHandOff(db: Kysely<Database>, rfqId: string, fromSequence: number, toSequence: number): Promise<{ mean: number; p99: number } | null> {
  const { rows } = await sql<{ span_ms: string | null; gaps: string; p99: number | null }>`
    select extract(epoch from max(recorded_at) - min(recorded_at)) * 1000 as span_ms, count(gap) as gaps,
      percentile_cont(0.99) within group (order by gap) as p99
    from (
      select recorded_at, extract(epoch from recorded_at - lag(recorded_at) over (order by sequence)) * 1000 as gap
      from offer_revisions where rfq_id = ${rfqId} and sequence between ${fromSequence} and ${toSequence}
    ) gaps`.execute(db);
  const row = rows[0];
  const gaps = Number(row?.gaps ?? 0);
  if (!row || row.span_ms === null || row.p99 === null || gaps === 0) return null;
  return { mean: Number(row.span_ms) / gaps, p99: Number(row.p99) };
}
