import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
import { money, notFound, payoutEntries } from "@souk/domain";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { paymentProviderOf, type PaymentProviderDeps } from "./payment-provider";
import { currencyOf, existingId, lockSellerPayouts, payoutReference, postJournal, unbatchedSellerJournals } from "./shared";

export const runPayoutsSchema = z.object({ runId: z.unknown() });
export type RunPayoutsInput = z.input<typeof runPayoutsSchema>;

export interface RunPayoutsResult {
  runId: string;
  /** Payouts this call created. */
  payouts: number;
  /** Sellers with a payable account that are not active (suspended...): their payouts are held. */
  held: number;
  /** Seller currencies whose unbatched balance was zero or negative: carried over to the next run. */
  carriedOver: number;
  /** The run had already finished: nothing was done. */
  alreadyFinished: boolean;
}

/**
 * The `payouts.run` job's use case: batches each active seller's payable into one payout per
 * currency. Sellers are taken one at a time, each in its own transaction under the seller's payout
 * lock (a retry after a crash resumes where the run stopped; two runs at once take turns per
 * seller). For a seller: the journals that moved its payable and that no payout holds yet, leaving
 * out those of orders under an open dispute, are summed per currency; a positive sum becomes a
 * payout (pending) with its journal (debit the seller's payable, credit payouts in transit, key
 * `payout:<payoutId>`) and one payout item per journal, plus a `payout.submit` outbox row in the
 * same transaction; zero or less is carried over to the next run. No payment provider is called
 * here: the `payout.submit` job (submitPayout) hands the payout over once this transaction has
 * committed, so a rollback never leaves money sent without its payout row. The provider's name is
 * only stored on the payout. A seller that is not active (suspended) is skipped: its payouts are held.
 */
export async function runPayouts(deps: ServiceDeps & PaymentProviderDeps, input: RunPayoutsInput): Promise<RunPayoutsResult> {
  const runId = existingId(parseInput(runPayoutsSchema, input).runId, "Payout run");
  const run = await deps.db.selectFrom("payout_runs").select(["id", "finished_at"]).where("id", "=", runId).executeTakeFirst();
  if (!run) throw notFound("Payout run");
  const result: RunPayoutsResult = { runId, payouts: 0, held: 0, carriedOver: 0, alreadyFinished: run.finished_at !== null };
  if (result.alreadyFinished) return result;

  const providerName = paymentProviderOf(deps).name;
  const sellers = await deps.db
    .selectFrom("organizations as o")
    .select(["o.id", "o.status"])
    .where("o.kind", "=", "seller")
    .where((eb) => eb.exists(eb.selectFrom("ledger_accounts as a").select("a.id").where("a.kind", "=", "seller_payable").whereRef("a.organization_id", "=", "o.id")))
    .orderBy("o.id")
    .execute();
  for (const seller of sellers) {
    if (seller.status !== "active") {
      result.held += 1;
      continue;
    }
    const outcome = await withTransaction(deps.db, (trx) => batchSeller(trx, { runId, sellerId: seller.id, providerName }));
    if (outcome === "held") result.held += 1;
    else {
      result.payouts += outcome.payouts;
      result.carriedOver += outcome.carriedOver;
    }
  }
  await deps.db
    .updateTable("payout_runs")
    .set({
      finished_at: sql<Date>`now()`,
      payouts: sql<number>`(select count(*)::int from payouts where run_id = ${runId})`,
    })
    .where("id", "=", runId)
    .where("finished_at", "is", null)
    .execute();
  return result;
}

async function batchSeller(trx: Db, input: { runId: string; sellerId: string; providerName: string }): Promise<"held" | { payouts: number; carriedOver: number }> {
  const { runId, sellerId, providerName } = input;
  await lockSellerPayouts(trx, sellerId);
  // Shares the row with other readers but waits for a suspension being decided (FOR UPDATE there).
  const seller = await trx.selectFrom("organizations").select("status").where("id", "=", sellerId).forShare().executeTakeFirstOrThrow();
  if (seller.status !== "active") return "held";

  const journals = (await unbatchedSellerJournals(trx, sellerId)).filter((j) => !j.disputed);
  const byCurrency = new Map<string, typeof journals>();
  for (const j of journals) byCurrency.set(j.currency, [...(byCurrency.get(j.currency) ?? []), j]);
  let payouts = 0;
  let carriedOver = 0;
  for (const [code, items] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const currency = currencyOf(code);
    const total = items.reduce((s, j) => s + j.owedMinor, 0n);
    if (total <= 0n) {
      carriedOver += 1;
      continue;
    }
    const payout = await trx
      .insertInto("payouts")
      .values({ seller_id: sellerId, currency, amount_minor: total, status: "pending", run_id: runId, provider: providerName })
      .returning(["id", "number"])
      .executeTakeFirstOrThrow();
    const reference = payoutReference(payout.number);
    const amount = money(total, currency);
    const journal = await postJournal(trx, {
      idempotencyKey: `payout:${payout.id}`,
      kind: "payout",
      payoutId: payout.id,
      currency,
      memo: `Payout ${reference}`,
      entries: payoutEntries(sellerId, amount),
    });
    await trx
      .insertInto("payout_items")
      .values(items.map((j) => ({ payout_id: payout.id, seller_id: sellerId, journal_id: j.journalId, amount_minor: j.owedMinor })))
      .execute();
    await trx.updateTable("payouts").set({ journal_id: journal.id }).where("id", "=", payout.id).execute();
    await writeOutbox(trx, "payout.submit", { payoutId: payout.id });
    payouts += 1;
  }
  return { payouts, carriedOver };
}
