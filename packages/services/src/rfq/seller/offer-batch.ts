import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { withTransaction, type Database, type Db, type OfferStatusColumn, type Rfq } from "@souk/db";
import { assertOfferWindow, can, conflict, extendedDeadline, forbidden, isDomainError, moveOffer, notFound, offerRoundOf, sellerCanTrade, type Actor, type RfqStatus } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import { finalShortlist, sellerMaySeeRfq } from "../access";
import { RFQ_EVENTS_CHANNEL, type RfqEvent, type RfqEventKind } from "../live";
import { offerTotal, parseOffer, type OfferRfqFacts, type ParsedOffer } from "./offer-input";
import { lockRfqWithOffers, receiptContent, type LockedOfferLine } from "./offer-writes";
import { FINAL_ROUND_RECEIPT_REASON, offerContentText, receiptHash, type OfferReceipt } from "./receipts";
import { retryStale, StaleOfferState } from "./stale-offer-state";
import { windowInstant } from "./shared";

/**
 * Writing offers, one or many at once, under one hold of the RFQ's row lock.
 *
 * Offers on one RFQ are serial: each receipt chains to the one before, under the RFQ's row lock.
 * A writer holding that lock for its own offer alone makes the RFQ's throughput one offer per
 * lock-to-commit (three round trips and an fsync), whatever the number of sellers waiting. So the
 * writers of one process that find an RFQ busy queue here, and the next writer takes the lock
 * for all of them at once: one statement locks the RFQ and reads the clock and every one of their
 * offers, one statement writes every offer, line, receipt and the chain's head, one commit. Each
 * offer is still checked on its own under that lock (its seller active, the window open by the
 * database clock, its state, the anti-sniping rule in order), and refused on its own.
 *
 * A batch never holds two writes of one seller (the later one waits for the next batch), and a
 * failure of the batch as a whole that is known to come before its commit (a guard that found an
 * offer changed, a serialization failure or deadlock, a unique violation) runs each of its writes
 * again on its own, so one seller's problem is never another's. Any other failure (a lost
 * connection: the commit may have taken effect) goes to every writer of the batch as it is.
 */

export interface SaveOfferResult {
  offerId: string;
  status: "submitted" | "revised";
  revision: number;
  /** The receipt of this submission or revision (the seller keeps it; see exportOfferReceipts). */
  receipt: OfferReceipt;
  /** The RFQ's deadline after this offer (ISO). */
  deadline: string;
  /** True when this offer, landing in the last minutes, pushed the deadline (anti-sniping). */
  extended: boolean;
}

/** One seller's offer write, checked against the RFQ as it was read before the lock. */
export interface OfferJob {
  actor: Actor;
  rfqId: string;
  input: unknown;
  /** The RFQ as the seller could see it before the lock (sellerRfq), and what its input was checked against. */
  seen: Rfq;
  facts: OfferRfqFacts;
  parsed: ParsedOffer;
}

type Outcome = { ok: true; result: SaveOfferResult } | { ok: false; error: unknown };

/**
 * The RFQ a seller is about to offer on, if it may see it (sellerMaySeeRfq), with its lines, in one
 * statement and without a lock: what the input is checked against before the lock is asked for.
 */
export async function readOfferTarget(db: Db, sellerId: string, rfqId: string): Promise<{ rfq: Rfq; lines: { id: string; quantity: number }[] }> {
  const row = await db
    .selectFrom("rfqs as r")
    .selectAll("r")
    .select(
      sql<{ id: string; quantity: number }[]>`coalesce((select json_agg(json_build_object('id', l.id, 'quantity', l.quantity) order by l.position) from rfq_lines l where l.rfq_id = r.id), '[]')`.as(
        "line_facts",
      ),
    )
    .where("r.id", "=", rfqId)
    .where(sellerMaySeeRfq(sellerId))
    .executeTakeFirst();
  if (!row) throw notFound("RFQ");
  const { line_facts, ...rfq } = row;
  return { rfq, lines: line_facts };
}

/**
 * Share-locks the organisations and memberships of the writers (an operator's suspension takes the
 * organisation FOR UPDATE, so it and an offer take turns) and checks each writer is still a member
 * allowed to offer, of an active seller. Before the RFQ's lock, always.
 */
async function lockWriters(trx: Db, jobs: readonly OfferJob[]): Promise<Map<OfferJob, unknown>> {
  const orgs = jobs.map((j) => j.actor.organizationId);
  const users = jobs.map((j) => j.actor.userId);
  const { rows } = await sql<{ organization_id: string; user_id: string; status: string; role: string }>`
    select o.id as organization_id, m.user_id, o.status, m.role
    from unnest(${orgs}::uuid[], ${users}::uuid[]) as w(organization_id, user_id)
    join organizations o on o.id = w.organization_id and o.kind = 'seller'
    join memberships m on m.organization_id = w.organization_id and m.user_id = w.user_id
    for share of o, m`.execute(trx);
  const refused = new Map<OfferJob, unknown>();
  for (const job of jobs) {
    const row = rows.find((r) => r.organization_id === job.actor.organizationId && r.user_id === job.actor.userId);
    if (!row || !can("seller", row.role, "submit:offer:org")) refused.set(job, forbidden("Missing permission submit:offer:org"));
    // A seller that is no longer active sees no RFQ at all: the same answer as for an RFQ it may not see.
    else if (!sellerCanTrade(row.status as Parameters<typeof sellerCanTrade>[0])) refused.set(job, notFound("RFQ"));
  }
  return refused;
}

interface PlannedWrite {
  job: OfferJob;
  offerId: string;
  sellerId: string;
  status: "submitted" | "revised";
  revision: number;
  parsed: ParsedOffer;
  lines: LockedOfferLine[];
  sequence: number;
  previousHash: string | null;
  hash: string;
  content: string;
  /** This offer's instant: its own reading of the database clock, later than the one before it in the batch. */
  recordedAt: Date;
  result: SaveOfferResult;
}

/**
 * Writes `jobs` (at most one per seller) under one hold of the RFQ's lock, inside `trx`. Returns
 * each job's outcome: its result, or the domain error that refused it. Throws StaleOfferState when
 * an offer changed while the lock was awaited (nothing is written then), or any database error.
 */
export async function writeOffersLocked(trx: Db, rfqId: string, jobs: readonly OfferJob[]): Promise<Map<OfferJob, Outcome>> {
  const outcomes = new Map<OfferJob, Outcome>();
  for (const [job, error] of await lockWriters(trx, jobs)) outcomes.set(job, { ok: false, error });
  const writers = jobs.filter((j) => !outcomes.has(j));
  if (writers.length === 0) return outcomes;

  const locked = await lockRfqWithOffers(
    trx,
    rfqId,
    writers.map((j) => j.actor.organizationId),
    { clocks: writers.length },
  );
  if (!locked) {
    for (const job of writers) outcomes.set(job, { ok: false, error: notFound("RFQ") });
    return outcomes;
  }
  const { rfq } = locked;
  const status = rfq.status as RfqStatus;
  const round = offerRoundOf(status);
  const deadline = rfq.deadline ? new Date(rfq.deadline) : null;
  const first = windowInstant(locked.now, locked.beforeDeadline, deadline);
  // In a final round only the shortlist writes. Read after the lock, in a statement of its own: the
  // opening wrote it under this lock, and the statement that waited for the lock read with an older snapshot.
  const shortlist = round === "final" ? await finalShortlist(trx, rfqId) : null;
  const shortlisted = (sellerId: string) => shortlist?.has(sellerId) ?? false;

  let currentDeadline = deadline ?? first;
  let extensions = rfq.extensions;
  let lastExtension: Date | null = null;
  let head = rfq.chain_head;
  let length = rfq.chain_length;
  let previousInstant: Date | null = null;
  const planned: PlannedWrite[] = [];
  for (const [index, job] of writers.entries()) {
    const sellerId = job.actor.organizationId;
    try {
      // Each offer its own reading of the database clock, taken under the lock, never earlier than
      // the one before it. Never pushed ahead of the clock: an offer's recorded time is when it was
      // really checked, and a time invented later than that could refuse an offer made in time.
      // Two offers of a batch may share a millisecond (the precision stored and hashed); the
      // chain's sequence orders them.
      const read = locked.clocks[index] ?? locked.now;
      const now: Date = previousInstant === null ? first : new Date(Math.max(read.getTime(), previousInstant.getTime()));
      // First: a seller off the shortlist gets what a closed RFQ answers, whatever the round's deadline.
      assertOfferWindow(status, currentDeadline, now, shortlisted(sellerId));
      if (rfq.version !== job.seen.version) {
        // The buyer edited the RFQ (its terms, lines, sealing, invitations: only possible while it
        // had no live offer) between this seller's read and the lock: the seller offered on terms
        // that are no longer the RFQ's, and must read them again.
        throw conflict("offer.rfq_changed", { offer: ["offer.rfq_changed"] });
      }

      let parsed = job.parsed;
      if (currentDeadline.getTime() !== job.facts.deadline.getTime()) {
        // An extension moved the deadline: the validity is checked against the new one.
        parsed = parseOffer(job.input, { ...job.facts, deadline: currentDeadline });
      }

      const current = locked.offers.get(sellerId) ?? null;
      let offerStatus: "submitted" | "revised" = "submitted";
      let revision = 1;
      if (round === "final") {
        // The shortlist is made of sellers with a final offer: the round revises it (locked | revised → revised), never submits afresh.
        if (!current) throw conflict("offer.rfq_not_open", { offer: ["offer.rfq_not_open"] });
        offerStatus = moveOffer(current.status, "revise", { now, deadline: currentDeadline, round }) as "revised";
        revision = current.revision + 1;
      } else if (current && current.status !== "withdrawn") {
        // submitted | revised → revised; locked → ILLEGAL_TRANSITION (never reached: a locked offer means a closed RFQ).
        offerStatus = moveOffer(current.status, "revise", { now, deadline: currentDeadline }) as "revised";
        revision = current.revision + 1;
      } else if (current) {
        revision = current.revision + 1;
      }
      const offerId = current?.id ?? randomUUID();
      const lines = parsed.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPriceMinor: l.unitPrice.amount.toString() }));

      const extended = extendedDeadline({
        deadline: currentDeadline,
        submittedAt: now,
        windowMinutes: rfq.anti_sniping_minutes ?? 0,
        maxExtensions: rfq.anti_sniping_max ?? 0,
        extensionsSoFar: extensions,
      });
      if (extended) {
        currentDeadline = extended;
        extensions += 1;
        lastExtension = extended;
      }
      const content = offerContentText(
        receiptContent(
          rfqId,
          sellerId,
          { id: offerId, revision, currency: parsed.currency, leadTimeDays: parsed.leadTimeDays, validUntil: parsed.validUntil, notes: parsed.notes, lines },
          offerStatus,
          // The receipt says which round it belongs to: the chain as it stood at the first close is
          // what the sellers off the shortlist keep seeing (get-seller-rfq.ts).
          round === "final" ? { code: FINAL_ROUND_RECEIPT_REASON } : undefined,
        ),
      );
      const sequence = length + 1;
      const hash = receiptHash(head, content, now);
      // Neither the sequence nor the previous hash: see OfferReceipt.
      const receipt: OfferReceipt = { revision, hash, recordedAt: now.toISOString() };
      planned.push({
        job,
        offerId,
        sellerId,
        status: offerStatus,
        revision,
        parsed,
        lines,
        sequence,
        previousHash: head,
        hash,
        content,
        recordedAt: now,
        result: { offerId, status: offerStatus, revision, receipt, deadline: currentDeadline.toISOString(), extended: extended !== null },
      });
      head = hash;
      length = sequence;
      previousInstant = now;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.set(job, { ok: false, error });
    }
  }
  if (planned.length === 0) return outcomes;

  if (lastExtension) {
    // The job written at publishing (or at an earlier extension) will find the RFQ not yet due and
    // do nothing; this one closes it at the new deadline.
    await writeOutbox(trx, "rfq.close", { rfqId }, { availableAt: lastExtension });
  }
  await writeOffersStatement(trx, {
    rfq,
    planned,
    head: head as string,
    length,
    changes: lastExtension ? { deadline: lastExtension, extensions } : null,
    events: lastExtension ? ["offer", "deadline"] : ["offer"],
    reviseFrom: round === "final" ? ["locked", "revised"] : ["submitted", "revised"],
  });
  for (const p of planned) outcomes.set(p.job, { ok: true, result: p.result });
  return outcomes;
}

/**
 * Every planned offer with its lines, every receipt, the chain's new head (and deadline) and the
 * live events: one statement. Each offer row is written only if it is as it was read (its
 * revision, and live or withdrawn as expected); otherwise no receipt and no chain move is written
 * either, and StaleOfferState is thrown.
 */
async function writeOffersStatement(
  trx: Db,
  w: {
    rfq: Rfq;
    planned: readonly PlannedWrite[];
    head: string;
    length: number;
    changes: { deadline: Date; extensions: number } | null;
    events: readonly RfqEventKind[];
    /** The statuses a revision may find its offer in: live in the first round, final (or already revised) in a best-and-final round. */
    reviseFrom: readonly OfferStatusColumn[];
  },
): Promise<void> {
  const { rfq, planned } = w;
  const col = <T>(pick: (p: PlannedWrite) => T) => planned.map(pick);
  const lineRows = planned.flatMap((p) => p.lines.map((l) => ({ offerId: p.offerId, ...l })));
  const notifications = w.events.map((kind) => sql`pg_notify(${RFQ_EVENTS_CHANNEL}, ${JSON.stringify({ rfqId: rfq.id, kind } satisfies RfqEvent)})`);
  const count = planned.length;
  const { rows } = await sql<{ offers: number; recorded: number; moved: number }>`
    with offer as (
      insert into offers (id, rfq_id, seller_id, status, revision, currency, lead_time_days, valid_until, notes, total_minor, submitted_by, submitted_at, updated_at, withdrawn_at)
      select w.id, ${rfq.id}::uuid, w.seller_id, w.status, w.revision, w.currency, w.lead_time_days, w.valid_until, w.notes, w.total_minor, w.submitted_by, w.recorded_at, w.recorded_at, null
      from unnest(
        ${col((p) => p.offerId)}::uuid[], ${col((p) => p.sellerId)}::uuid[], ${col((p) => p.status)}::text[], ${col((p) => p.revision)}::integer[],
        ${col((p) => p.parsed.currency)}::text[], ${col((p) => p.parsed.leadTimeDays)}::integer[], ${col((p) => p.parsed.validUntil.toISOString())}::timestamptz[],
        ${col((p) => p.parsed.notes)}::text[], ${col((p) => offerTotal(p.parsed.lines).toString())}::bigint[], ${col((p) => p.job.actor.userId)}::uuid[],
        ${col((p) => p.recordedAt.toISOString())}::timestamptz[]
      ) as w(id, seller_id, status, revision, currency, lead_time_days, valid_until, notes, total_minor, submitted_by, recorded_at)
      on conflict (rfq_id, seller_id) do update set
        status = excluded.status,
        revision = excluded.revision,
        currency = excluded.currency,
        lead_time_days = excluded.lead_time_days,
        valid_until = excluded.valid_until,
        notes = excluded.notes,
        total_minor = excluded.total_minor,
        submitted_by = excluded.submitted_by,
        submitted_at = case when excluded.status = 'submitted' then excluded.submitted_at else offers.submitted_at end,
        updated_at = excluded.updated_at,
        withdrawn_at = null
      -- As read under the lock: the revision just before, live for a revision, withdrawn for a new submission.
      where offers.revision = excluded.revision - 1
        and case when excluded.status = 'revised' then offers.status = any(${[...w.reviseFrom]}::text[]) else offers.status = 'withdrawn' end
      returning id
    ), offer_lines_upserted as (
      insert into offer_lines (offer_id, rfq_id, line_id, unit_price_minor, quantity)
      select l.offer_id, ${rfq.id}::uuid, l.line_id, l.price, l.quantity
      from unnest(${lineRows.map((l) => l.offerId)}::uuid[], ${lineRows.map((l) => l.lineId)}::uuid[], ${lineRows.map((l) => l.unitPriceMinor)}::bigint[], ${lineRows.map((l) => l.quantity)}::integer[])
        as l(offer_id, line_id, price, quantity)
      where (select count(*) from offer) = ${count}
      on conflict (offer_id, line_id) do update set unit_price_minor = excluded.unit_price_minor, quantity = excluded.quantity
      returning line_id
    ), offer_lines_dropped as (
      delete from offer_lines ol
      where ol.offer_id = any(${col((p) => p.offerId)}::uuid[])
        and (select count(*) from offer) = ${count}
        and not exists (
          select 1 from unnest(${lineRows.map((l) => l.offerId)}::uuid[], ${lineRows.map((l) => l.lineId)}::uuid[]) as k(offer_id, line_id)
          where k.offer_id = ol.offer_id and k.line_id = ol.line_id
        )
      returning ol.line_id
    ), receipt as (
      insert into offer_revisions (rfq_id, offer_id, seller_id, revision, kind, sequence, content, recorded_at, previous_hash, hash, recorded_by)
      select ${rfq.id}::uuid, r.offer_id, r.seller_id, r.revision, r.kind, r.sequence, r.content, r.recorded_at, r.previous_hash, r.hash, r.recorded_by
      from unnest(
        ${col((p) => p.offerId)}::uuid[], ${col((p) => p.sellerId)}::uuid[], ${col((p) => p.revision)}::integer[], ${col((p) => p.status)}::text[],
        ${col((p) => p.sequence)}::integer[], ${col((p) => p.content)}::text[], ${col((p) => p.previousHash)}::text[], ${col((p) => p.hash)}::text[], ${col((p) => p.job.actor.userId)}::uuid[],
        ${col((p) => p.recordedAt.toISOString())}::timestamptz[]
      ) as r(offer_id, seller_id, revision, kind, sequence, content, previous_hash, hash, recorded_by, recorded_at)
      where (select count(*) from offer) = ${count}
      returning id
    ), chain as (
      update rfqs set
        chain_head = ${w.head},
        chain_length = ${w.length},
        deadline = coalesce(${w.changes?.deadline ?? null}::timestamptz, deadline),
        extensions = coalesce(${w.changes?.extensions ?? null}::integer, extensions)
      where id = ${rfq.id} and chain_length = ${rfq.chain_length} and (select count(*) from receipt) = ${count}
      returning id
    )
    select (select count(*)::int from offer) as offers, (select count(*)::int from receipt) as recorded, (select count(*)::int from chain) as moved,
      ${sql.join(notifications, sql`, `)}`.execute(trx);
  const row = rows[0];
  if (row?.offers !== count || row.recorded !== count) throw new StaleOfferState(`An offer on RFQ ${rfq.id} changed while its write waited for the lock`);
  // The RFQ's lock makes this impossible; a writer that forgot to hold it must not fork the chain.
  if (row.moved !== 1) throw new Error(`The receipts chain of RFQ ${rfq.id} moved without its lock`);
}

/** One write on its own: its own transaction (or the caller's), run again while a guard finds its read stale. */
export async function writeOfferAlone(db: Db, job: OfferJob): Promise<SaveOfferResult> {
  const outcome = await retryStale(() => withTransaction(db, async (trx) => (await writeOffersLocked(trx, job.rfqId, [job])).get(job)));
  if (!outcome) throw new Error("An offer write ended without an outcome");
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

// ---------------------------------------------------------------------------------------------
// Coalescing the writers of one process per RFQ

interface Waiting {
  job: OfferJob;
  resolve(result: SaveOfferResult): void;
  reject(error: unknown): void;
}

interface Queue {
  waiting: Waiting[];
  running: boolean;
}

/** The most writes one batch takes (the statement's size, and the wait of the first writer). */
export const OFFER_BATCH_MAX = 100;

// Per database handle (a pool: tests and benches open several), per RFQ.
const queues = new WeakMap<object, Map<string, Queue>>();

/**
 * Writes the offer with the other writers of this process waiting on the same RFQ: the first
 * writer runs alone at once; those arriving meanwhile go together in the next hold of the lock.
 */
export function writeOfferCoalesced(db: Kysely<Database>, job: OfferJob): Promise<SaveOfferResult> {
  let byRfq = queues.get(db);
  if (!byRfq) queues.set(db, (byRfq = new Map()));
  let queue = byRfq.get(job.rfqId);
  if (!queue) byRfq.set(job.rfqId, (queue = { waiting: [], running: false }));
  const entry = queue;
  const done = new Promise<SaveOfferResult>((resolve, reject) => entry.waiting.push({ job, resolve, reject }));
  if (!entry.running) void drain(db, byRfq, job.rfqId, entry);
  return done;
}

async function drain(db: Kysely<Database>, byRfq: Map<string, Queue>, rfqId: string, queue: Queue): Promise<void> {
  queue.running = true;
  try {
    while (queue.waiting.length > 0) {
      const batch = nextBatch(queue);
      try {
        // A connection of its own for each batch (not one for the whole run): a connection lost in
        // one batch fails that batch only, and the next one starts on a sound connection.
        await db.connection().execute((conn) => runBatch(conn, batch));
      } catch (error) {
        // No connection at all (the database is down): this batch's writes fail with the reason.
        for (const w of batch) w.reject(error);
      }
    }
  } finally {
    queue.running = false;
    if (queue.waiting.length === 0) byRfq.delete(rfqId);
    else void drain(db, byRfq, rfqId, queue);
  }
}

/** The next batch: one write per seller (a seller's second write waits for the next one), at most OFFER_BATCH_MAX. */
function nextBatch(queue: Queue): Waiting[] {
  const sellers = new Set<string>();
  const batch: Waiting[] = [];
  const later: Waiting[] = [];
  for (const w of queue.waiting) {
    if (batch.length < OFFER_BATCH_MAX && !sellers.has(w.job.actor.organizationId)) {
      sellers.add(w.job.actor.organizationId);
      batch.push(w);
    } else later.push(w);
  }
  queue.waiting = later;
  return batch;
}

/**
 * SQLSTATEs a batch can fail with before its commit took effect, for a reason of one of its writes
 * rather than of the batch: a serialization failure, a deadlock, a unique violation (the guards
 * of the offer and receipt rows). Running each write again alone is then safe and lets each
 * succeed or fail on its own.
 */
const RETRY_ALONE_SQLSTATES = new Set(["40001", "40P01", "23505"]);

/**
 * Whether a batch that failed as a whole may be run again one write at a time. Anything else (a
 * lost connection, a failed or unknown COMMIT, a bug) may have been committed: writing each offer
 * again would record it twice, so its writers get the error instead.
 */
export function batchFailureRetriesAlone(error: unknown): boolean {
  if (error instanceof StaleOfferState) return true;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && RETRY_ALONE_SQLSTATES.has(code);
}

async function runBatch(db: Kysely<Database>, batch: readonly Waiting[]): Promise<void> {
  if (batch.length === 1) {
    const [only] = batch as [Waiting];
    await writeOfferAlone(db, only.job).then(only.resolve, only.reject);
    return;
  }
  let outcomes: Map<OfferJob, Outcome>;
  try {
    outcomes = await withTransaction(db, (trx) => writeOffersLocked(trx, (batch[0] as Waiting).job.rfqId, batch.map((w) => w.job)));
  } catch (error) {
    if (!batchFailureRetriesAlone(error)) {
      for (const w of batch) w.reject(error);
      return;
    }
    // The batch was refused before its commit (a stale read, a guard): each write runs again on
    // its own, so that it succeeds or fails for its own reasons.
    for (const w of batch) await writeOfferAlone(db, w.job).then(w.resolve, w.reject);
    return;
  }
  for (const w of batch) {
    const outcome = outcomes.get(w.job);
    if (outcome?.ok) w.resolve(outcome.result);
    else w.reject(outcome ? outcome.error : new Error("An offer write ended without an outcome"));
  }
}
