import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { MAX_PAYOUT_CYCLE_DAYS } from "./payout-config";
import { assertSellerMoneyReader, DEFAULT_PAYOUT_CYCLE_DAYS, moneyOf, unbatchedSellerJournals, type MoneyView } from "./shared";

export const getSellerBalanceSchema = z.object({
  /** The payout cycle the worker runs with (PAYOUT_CYCLE_DAYS, readPayoutConfig), for the next payout's date; 0: no schedule. */
  cycleDays: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "payout.cycle_invalid" }).int({ error: "payout.cycle_invalid" }).min(0, { error: "payout.cycle_invalid" }).max(MAX_PAYOUT_CYCLE_DAYS, { error: "payout.cycle_invalid" }).default(DEFAULT_PAYOUT_CYCLE_DAYS),
  ),
});
export type GetSellerBalanceInput = z.input<typeof getSellerBalanceSchema>;

export interface SellerBalanceCurrency {
  currency: string;
  /** What the marketplace owes the seller and no payout holds yet (settlements net of refunds, failed payouts back). */
  payable: MoneyView;
  /** The part of `payable` from orders under an open dispute: waits for the dispute's resolution. */
  frozen: MoneyView;
  /** payable − frozen: what the next payout run batches (when positive). */
  available: MoneyView;
  /** Payouts created and not yet paid (pending, or held while the seller is suspended). */
  inPayouts: MoneyView;
}

export interface SellerBalance {
  /** The seller is not active (suspended): payouts are held, no new one is made. */
  held: boolean;
  /**
   * When the next scheduled payout run is due: the last run (scheduled or asked for by an operator:
   * either restarts the cycle, see schedulePayoutRun) + the cycle, or now when that is past. Null
   * when held, when no run ever happened, or without a schedule (cycle 0).
   */
  nextPayoutAt: string | null;
  currencies: SellerBalanceCurrency[];
}

/** The seller's money at a glance, per currency (owners: read:payouts:org). */
export async function getSellerBalance(deps: ActorDeps, input: unknown = {}): Promise<SellerBalance> {
  assertSellerMoneyReader(deps.actor);
  const { cycleDays } = parseInput(getSellerBalanceSchema, input);
  const sellerId = deps.actor.organizationId;
  const seller = await deps.db.selectFrom("organizations").select("status").where("id", "=", sellerId).executeTakeFirstOrThrow();
  const journals = await unbatchedSellerJournals(deps.db, sellerId);
  const inPayouts = await deps.db
    .selectFrom("payouts")
    .select(["currency", sql<string>`sum(amount_minor)::text`.as("total")])
    .where("seller_id", "=", sellerId)
    .where("status", "in", ["pending", "held"])
    .groupBy("currency")
    .execute();
  const sums = new Map<string, { payable: bigint; frozen: bigint; inPayouts: bigint }>();
  const of = (currency: string) => {
    let s = sums.get(currency);
    if (!s) sums.set(currency, (s = { payable: 0n, frozen: 0n, inPayouts: 0n }));
    return s;
  };
  for (const j of journals) {
    of(j.currency).payable += j.owedMinor;
    if (j.disputed) of(j.currency).frozen += j.owedMinor;
  }
  for (const p of inPayouts) of(p.currency).inPayouts += BigInt(p.total);
  const held = seller.status !== "active";
  // The same arithmetic as schedulePayoutRun, by the database clock; a run overdue (the worker checks
  // the schedule every few minutes) is due now.
  const next = await sql<{ at: Date | null }>`
    select case when max(started_at) is null then null else greatest(max(started_at) + make_interval(days => ${cycleDays}), now()) end as at from payout_runs`.execute(deps.db);
  const nextAt = next.rows[0]?.at ?? null;
  const nextPayoutAt = held || cycleDays === 0 || !nextAt ? null : new Date(nextAt).toISOString();
  return {
    held,
    nextPayoutAt,
    currencies: [...sums]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, s]) => ({
        currency,
        payable: moneyOf(s.payable, currency),
        frozen: moneyOf(s.frozen, currency),
        available: moneyOf(s.payable - s.frozen, currency),
        inPayouts: moneyOf(s.inPayouts, currency),
      })),
  };
}
