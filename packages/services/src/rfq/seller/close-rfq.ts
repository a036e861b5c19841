import { sql, type Transaction } from "kysely";
import { withTransaction, type Database, type Rfq } from "@souk/db";
import { moveRfq, OFFER_FINAL_ROUND_TRANSITIONS, OFFER_TRANSITIONS, rfqIsDueToClose, type RfqStatus } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import type { ServiceDeps } from "../../deps";
import { notifyMembers } from "../../notifications/notify-members";
import { publishRfqEvent } from "../live";
import { finalShortlist, inFinalComparison } from "../access";
import { verifyRfqChain, type ChainVerification } from "./receipts";
import { BUYER_RFQ_ROLES, clockAgainstDeadline, refId, rfqReference, SELLER_RFQ_ROLES, windowInstant } from "./shared";

export interface CloseRfqInput {
  rfqId: unknown;
}

export interface CloseRfqResult {
  rfqId: string;
  /** False when there was nothing to do: not open, not yet due, already closed, or gone. */
  closed: boolean;
  /** Offers locked by this close (the offers the buyer compares). */
  offers: number;
  /** The verification of the receipts chain at closing. */
  chain: ChainVerification | null;
}

/**
 * Closes the RFQ if it is open and its deadline has come by the database clock; anything else is a
 * harmless no-op, so the delayed `rfq.close` job, its retries, a job written for an older deadline
 * (anti-sniping) and the sweep may all run it, in any order, any number of times.
 *
 * Under the RFQ's row lock (the one every offer write takes, so every accepted offer is ordered
 * before the close): status closed and closed_at; every live offer locked; the receipts chain
 * verified, and `chain_verified_at` recorded when it holds. A chain that does not verify still
 * closes the RFQ (the offers are what they are) but leaves an audit row `rfq.chain_broken` for the
 * operators, and no verification date. Then the live pages hear `status`, the buyer is told how many
 * offers it received, and every seller that made an offer is told it closed, with the chain's head.
 *
 * A best-and-final round (`final_round`) closes the same way at its own deadline, by the same job
 * and sweep: closed again, the shortlisted sellers' revised offers locked again (the others never
 * left `locked`), the whole chain verified again. The buyer is told how many final offers it has;
 * only the shortlisted sellers are told (the others were told at the first close, and learn nothing
 * of the round).
 */
export async function closeRfq(deps: ServiceDeps, input: CloseRfqInput): Promise<CloseRfqResult> {
  const rfqId = refId(input.rfqId, "RFQ");
  return withTransaction(deps.db, async (trx) => {
    const rfq = await trx.selectFrom("rfqs").selectAll().where("id", "=", rfqId).forNoKeyUpdate().executeTakeFirst();
    if (!rfq) return { rfqId, closed: false, offers: 0, chain: null };
    return closeLockedRfq(deps, trx, rfq);
  });
}

async function closeLockedRfq(deps: ServiceDeps, trx: Transaction<Database>, rfq: Rfq): Promise<CloseRfqResult> {
  const nothing = { rfqId: rfq.id, closed: false, offers: 0, chain: null };
  if ((rfq.status !== "open" && rfq.status !== "final_round") || !rfq.deadline) return nothing;
  const finalRound = rfq.status === "final_round";
  const deadline = new Date(rfq.deadline);
  const clock = await clockAgainstDeadline(trx, rfq.id);
  const now = windowInstant(clock.now, clock.beforeDeadline, deadline);
  if (!rfqIsDueToClose(rfq.status as RfqStatus, deadline, now)) return nothing;
  moveRfq(rfq.status as RfqStatus, "close", { now, deadline, offerCount: 0 });

  // Read after the lock, in a statement of its own (see finalShortlist).
  const shortlist = finalRound ? await finalShortlist(trx, rfq.id) : null;
  const justLocked = await trx
    .updateTable("offers")
    .set({ status: "locked", updated_at: now })
    .where("rfq_id", "=", rfq.id)
    // The offers the round's `lock` move takes (domain offer.ts): the live ones, after a final round its revised ones.
    .where("status", "in", [...(finalRound ? OFFER_FINAL_ROUND_TRANSITIONS : OFFER_TRANSITIONS).lock.from])
    .$if(shortlist !== null, (qb) => qb.where(inFinalComparison("offers")))
    .returning("seller_id")
    .execute();
  // The final offers: every live offer just locked; after a final round, the shortlist's (revised
  // in the round and locked again now, or left locked since the first close).
  const locked =
    shortlist === null
      ? justLocked
      : await trx.selectFrom("offers as o").select("o.seller_id").where("o.rfq_id", "=", rfq.id).where("o.status", "=", "locked").where(inFinalComparison("o")).execute();
  const chain = await verifyRfqChain(trx, rfq.id);
  await trx
    .updateTable("rfqs")
    .set({ status: "closed", closed_at: now, updated_at: now, version: sql<number>`version + 1`, chain_verified_at: chain.ok ? now : null })
    .where("id", "=", rfq.id)
    .execute();
  if (!chain.ok) {
    await recordAudit(trx, {
      actor: null,
      organizationId: rfq.buyer_id,
      action: "rfq.chain_broken",
      targetType: "rfq",
      targetId: rfq.id,
      data: { rfqNumber: rfq.number, brokenAt: chain.brokenAt ?? null, receipts: chain.length, recordedHead: chain.head },
    });
  }
  await publishRfqEvent(trx, rfq.id, "status");

  const reference = rfqReference(rfq.number);
  const chainHead = chain.ok && chain.head ? chain.head : undefined;
  await notifyMembers(trx, {
    organizationId: rfq.buyer_id,
    roles: BUYER_RFQ_ROLES,
    template: "rfq.closed.buyer",
    params: (member) => ({
      name: member.name,
      rfqNumber: reference,
      rfqTitle: rfq.title,
      rfqUrl: `${deps.publicUrls.buyer}/rfqs/${rfq.id}`,
      offerCount: String(locked.length),
      ...(chainHead ? { chainHead } : {}),
    }),
  });
  const finalSellers = new Set(locked.map((o) => o.seller_id));
  const participants = shortlist
    ? [...shortlist].sort().map((sellerId) => ({ seller_id: sellerId }))
    : await trx.selectFrom("offers").select("seller_id").where("rfq_id", "=", rfq.id).orderBy("seller_id").execute();
  for (const { seller_id: sellerId } of participants) {
    await notifyMembers(trx, {
      organizationId: sellerId,
      roles: SELLER_RFQ_ROLES,
      template: "rfq.closed.seller",
      params: (member) => ({
        name: member.name,
        rfqNumber: reference,
        rfqTitle: rfq.title,
        rfqUrl: `${deps.publicUrls.seller}/rfqs/${rfq.id}`,
        offerFinal: finalSellers.has(sellerId) ? "yes" : "no",
        ...(chainHead ? { chainHead } : {}),
      }),
    });
  }
  return { rfqId: rfq.id, closed: true, offers: locked.length, chain };
}

export interface CloseDueRfqsResult {
  closed: number;
  /** RFQs whose close failed (logged by the caller; the next sweep or their job tries again). */
  failed: { rfqId: string; error: unknown }[];
}

/**
 * The sweep: closes every open RFQ (or best-and-final round) whose deadline has come, each in its own transaction. Rows
 * locked by someone else (an offer being written, the close job, another sweep) are skipped with
 * SKIP LOCKED: whoever holds them closes them, or the next sweep does.
 */
export async function closeDueRfqs(deps: ServiceDeps, options: { limit?: number } = {}): Promise<CloseDueRfqsResult> {
  const limit = options.limit ?? 1_000;
  const result: CloseDueRfqsResult = { closed: 0, failed: [] };
  const tried: string[] = [];
  while (tried.length < limit) {
    const picked: { id: string | null } = { id: null };
    try {
      const closed = await withTransaction(deps.db, async (trx) => {
        let query = trx
          .selectFrom("rfqs")
          .selectAll()
          .where("status", "in", ["open", "final_round"])
          .where("deadline", "<=", sql<Date>`clock_timestamp()`)
          .orderBy("deadline")
          .limit(1)
          .forNoKeyUpdate()
          .skipLocked();
        if (tried.length > 0) query = query.where("id", "not in", tried);
        const rfq = await query.executeTakeFirst();
        if (!rfq) return null;
        picked.id = rfq.id;
        return (await closeLockedRfq(deps, trx, rfq)).closed;
      });
      if (closed === null) break;
      if (closed) result.closed += 1;
    } catch (error) {
      if (picked.id === null) throw error;
      result.failed.push({ rfqId: picked.id, error });
    }
    if (picked.id !== null) tried.push(picked.id);
  }
  return result;
}
