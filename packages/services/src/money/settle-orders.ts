import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import {
  accountKey,
  canMoveOrder,
  computeCommission,
  DomainError,
  isBalanced,
  isDomainError,
  notFound,
  settlementEntries,
  subtract,
  type AccountRef,
  type Currency,
  type JournalEntryDraft,
  type Money,
  type OrderStatus,
} from "@souk/domain";
import type { PublicUrls, ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { notifyMembersInBulk, type NotifiedMember } from "../notifications/notify-members";
import { loadCommissionRules, orderCategoryIds, ruleSnapshot, type StoredCommissionRule } from "./commission-rules-store";
import { settleOrder, type SettleOrderResult, type SettleOrderStatus } from "./settle-order";
import { existingId, orderReference, storedMoney } from "./shared";

/**
 * Settling many orders in one transaction, with set-based statements (decision 0012).
 *
 * settleOrder is about fifteen statements and a commit per order; a settlement queue drained one
 * order per transaction is bound by those round trips and flushes. settleOrders does the same work
 * for a whole batch in a fixed number of statements: one locks every order (FOR UPDATE, by id),
 * one reads their settlements and open disputes, the commission rules and category paths are read
 * once, the accounts are got-or-created in bulk, one statement writes every journal, entry,
 * settlements row, order update and timeline event, and the sellers' owners are told with two
 * multi-row inserts (notifyMembersInBulk). Each order is still decided on its own, exactly as
 * postSettlement decides it, by the same domain functions (canMoveOrder, pickCommissionRule, computeCommission,
 * settlementEntries); an order that cannot be settled (no rule for its currency, say) is reported
 * and left as it is while the others settle.
 *
 * Exactly once, as settleOrder: the orders are locked before anything about them is read, in id
 * order (two overlapping batches queue behind each other instead of deadlocking; a settleOrder
 * holds one order only), so a second settler waits for the first to commit and then finds the
 * settlements row; the journal's unique idempotency key `settlement:<orderId>` stays the last word.
 */

/** The most orders one call takes (the statements' size). */
export const SETTLE_ORDERS_MAX = 1_000;

export const settleOrdersSchema = z.object({ orderIds: z.array(z.unknown()).max(SETTLE_ORDERS_MAX) });
export type SettleOrdersInput = z.input<typeof settleOrdersSchema>;

/**
 * settleOrder's statuses, plus what settleOrder reports by throwing: no_rule (no commission rule in
 * the order's currency: CONFLICT commission.no_rule), not_found (no such order: NOT_FOUND) and
 * failed (any other error of this order alone, an INVARIANT such as corrupt data).
 */
export type SettleOrdersStatus = SettleOrderStatus | "no_rule" | "not_found" | "failed";

export interface SettleOrdersItem {
  orderId: string;
  status: SettleOrdersStatus;
  /** The settlement journal (this call's or an earlier one's); null when nothing is settled. */
  journalId: string | null;
  /** For no_rule, not_found and failed: the error settleOrder throws for this order. */
  error?: DomainError;
}

export interface SettleOrdersResult {
  /** One per id given, in the same order; an id given twice is settled once (then already_settled). */
  results: SettleOrdersItem[];
}

/** What settleOrder throws for an order whose currency has no rule; settleOrders reports it per order. */
const noRule = () => new DomainError("CONFLICT", "commission.no_rule", { _form: ["commission.no_rule"] });

/**
 * Settles each of `orderIds` exactly once, in one transaction (see the top of this file). Each
 * order gets settleOrder's result: settled, already_settled, frozen (dispute open), not_delivered;
 * or no_rule / not_found / failed with the error settleOrder would have thrown, and nothing written
 * for it. A database failure fails the whole call and writes nothing.
 */
export async function settleOrders(deps: ServiceDeps, input: SettleOrdersInput): Promise<SettleOrdersResult> {
  const { orderIds } = parseInput(settleOrdersSchema, input);
  const ids = orderIds.map((value) => {
    try {
      return existingId(value, "Order");
    } catch {
      return null;
    }
  });
  const valid = ids.filter((id): id is string => id !== null);
  const settled = valid.length > 0 ? await withTransaction(deps.db, (trx) => postSettlements(trx, valid, { publicUrls: deps.publicUrls })) : new Map();
  const seen = new Set<string>();
  return {
    results: ids.map((id, i) => {
      if (id === null) return { orderId: String(orderIds[i]), status: "not_found", journalId: null, error: notFound("Order") };
      const item = settled.get(id)!;
      // A second copy of an id: what a second settleOrder would find once the first committed.
      if (seen.has(id) && item.status === "settled") return { orderId: id, status: "already_settled", journalId: item.journalId };
      seen.add(id);
      return item;
    }),
  };
}

export const settleOverdueOrdersSchema = z.object({
  /** Orders delivered at least this long ago (by the database clock) and still not settled. */
  olderThanMinutes: z.number().int().min(0).max(525_600),
  /** The most orders one sweep settles (the oldest first). */
  limit: z.number().int().min(1).max(100_000).default(1_000),
});
export type SettleOverdueOrdersInput = z.input<typeof settleOverdueOrdersSchema>;

export interface SettleOverdueOrdersResult {
  /** The orders this sweep settled. */
  orderIds: string[];
  /** The overdue orders it could not settle, with why (no_rule above all: they wait for an operator). */
  unsettled: SettleOrdersItem[];
}

/**
 * The worker's safety net: settles the delivered orders with no settlement and no open dispute
 * whose delivery is older than `olderThanMinutes`. Their settle job should have done it long ago;
 * it may be lost (Redis lost its data after the relay had marked the outbox row sent) or failed
 * for good (no commission rule, since added). Batches of SETTLEMENT_BATCH_MAX, each one
 * transaction (postSettlements): a settle job running at the same time waits for the batch's
 * locks and then finds the order settled, or the other way round.
 */
export async function settleOverdueOrders(deps: ServiceDeps, input: SettleOverdueOrdersInput): Promise<SettleOverdueOrdersResult> {
  const { olderThanMinutes, limit } = parseInput(settleOverdueOrdersSchema, input);
  const overdue = await deps.db
    .selectFrom("orders as o")
    .select("o.id")
    .where("o.status", "=", "delivered")
    .where(sql<boolean>`o.delivered_at <= now() - make_interval(mins => ${olderThanMinutes})`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("settlements as s").select("s.order_id").whereRef("s.order_id", "=", "o.id"))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom("disputes as d").select("d.id").whereRef("d.order_id", "=", "o.id").where("d.status", "=", "open"))))
    .orderBy("o.delivered_at")
    .orderBy("o.id")
    .limit(limit)
    .execute();
  const result: SettleOverdueOrdersResult = { orderIds: [], unsettled: [] };
  for (let start = 0; start < overdue.length; start += SETTLEMENT_BATCH_MAX) {
    const ids = overdue.slice(start, start + SETTLEMENT_BATCH_MAX).map((o) => o.id);
    const outcomes = await withTransaction(deps.db, (trx) => postSettlements(trx, ids, { publicUrls: deps.publicUrls }));
    for (const item of outcomes.values()) {
      if (item.status === "settled") result.orderIds.push(item.orderId);
      else if (item.status !== "already_settled") result.unsettled.push(item);
    }
  }
  return result;
}

interface LockedOrder {
  id: string;
  number: string;
  buyer_id: string;
  seller_id: string;
  rfq_id: string | null;
  category_id: string | null;
  status: string;
  currency: string;
  total_minor: string;
}

interface PlannedSettlement {
  order: LockedOrder;
  journalId: string;
  gross: Money;
  commission: Money;
  net: Money;
  rule: StoredCommissionRule;
  entries: JournalEntryDraft[];
  reference: string;
}

/**
 * Settles the orders inside the caller's transaction; the outcome of each distinct id. Throws only
 * for a failure of the batch as a whole (a database error): nothing of it is written then.
 */
export async function postSettlements(trx: Db, orderIds: readonly string[], options: { publicUrls?: PublicUrls } = {}): Promise<Map<string, SettleOrdersItem>> {
  const ids = [...new Set(orderIds)].sort();
  const outcomes = new Map<string, SettleOrdersItem>();
  if (ids.length === 0) return outcomes;

  // The locks first, in id order, then a new statement (a new snapshot: what a settler we waited
  // for has committed is seen) reads the settlements and disputes.
  const orders = await trx
    .selectFrom("orders")
    .select(["id", "number", "buyer_id", "seller_id", "rfq_id", "category_id", "status", "currency", "total_minor"])
    .where(sql<boolean>`id = any(${ids}::uuid[])`)
    .orderBy("id")
    .forUpdate()
    .execute();
  const { rows: states } = await sql<{ id: string; journal_id: string | null; disputed: boolean }>`
    select o.id, s.journal_id, exists (select 1 from disputes d where d.order_id = o.id and d.status = 'open') as disputed
    from unnest(${orders.map((o) => o.id)}::uuid[]) as o(id)
    left join settlements s on s.order_id = o.id`.execute(trx);
  const stateOf = new Map(states.map((s) => [s.id, s]));

  const fail = (order: { id: string }, error: unknown) => {
    if (!isDomainError(error)) throw error;
    const status = error.code === "CONFLICT" && error.message === "commission.no_rule" ? "no_rule" : error.code === "NOT_FOUND" ? "not_found" : "failed";
    outcomes.set(order.id, { orderId: order.id, status, journalId: null, error });
  };

  // Each order decided as postSettlement decides it.
  const due: { order: LockedOrder; gross: Money }[] = [];
  for (const order of orders) {
    const state = stateOf.get(order.id);
    if (state?.journal_id) outcomes.set(order.id, { orderId: order.id, status: "already_settled", journalId: state.journal_id });
    else if (state?.disputed) outcomes.set(order.id, { orderId: order.id, status: "frozen", journalId: null });
    else if (!canMoveOrder(order.status as OrderStatus, "settle", "system")) {
      if (order.status === "settled") fail(order, new DomainError("INVARIANT", `Order ${order.id} is settled without a settlement`));
      else outcomes.set(order.id, { orderId: order.id, status: "not_delivered", journalId: null });
    } else {
      try {
        due.push({ order, gross: storedMoney(order.total_minor, order.currency) });
      } catch (error) {
        fail(order, error);
      }
    }
  }
  const found = new Set(orders.map((o) => o.id));
  for (const id of ids) if (!found.has(id)) fail({ id }, notFound("Order"));
  if (due.length === 0) return outcomes;

  // The rules once for the batch: each order's category, the live rules of its currency.
  const categories = await orderCategoryIds(
    trx,
    due.map((d) => d.order),
  );
  const targets = due.map((d) => ({ sellerId: d.order.seller_id, categoryId: categories.get(d.order.id) ?? null, currency: d.gross.currency }));
  const ruleFor = await loadCommissionRules(trx, targets);
  const planned: PlannedSettlement[] = [];
  for (const [i, { order, gross }] of due.entries()) {
    try {
      const rule = ruleFor(targets[i]!);
      if (!rule) throw noRule();
      const commission = computeCommission(rule, gross);
      const entries = settlementEntries({ buyerId: order.buyer_id, sellerId: order.seller_id, gross, commission });
      // postJournal's check, before the database's deferred trigger would refuse the whole batch.
      if (entries.length < 2 || !isBalanced(entries) || entries.some((e) => e.currency !== gross.currency || e.amount === 0n)) {
        throw new DomainError("INVARIANT", `Journal settlement:${order.id} does not balance`);
      }
      planned.push({ order, journalId: randomUUID(), gross, commission, net: subtract(gross, commission), rule, entries, reference: orderReference(order.number) });
    } catch (error) {
      fail(order, error);
    }
  }
  if (planned.length === 0) return outcomes;

  const accounts = await ledgerAccountIdsInBulk(
    trx,
    planned.flatMap((p) => p.entries.map((e) => ({ currency: e.currency, account: e.account }))),
  );
  await writeSettlements(trx, planned, accounts);
  await notifySellerOwners(trx, planned, options.publicUrls);
  for (const p of planned) outcomes.set(p.order.id, { orderId: p.order.id, status: "settled", journalId: p.journalId });
  return outcomes;
}

interface CurrencyAccount {
  currency: Currency;
  account: AccountRef;
}

const currencyAccountKey = (a: CurrencyAccount) => `${a.currency}:${accountKey(a.account)}`;

/**
 * ledgerAccountIds (shared.ts) for accounts of several currencies: the ids of `accounts`, created on
 * first use. One SELECT; the missing ones (new buyer/seller pairs) with one INSERT ... ON CONFLICT
 * DO NOTHING and a second SELECT. The INSERT writes them sorted by currency then key, the order
 * ledgerAccountIds writes one currency's in, so two transactions creating the same accounts wait
 * for each other in the same order and never deadlock.
 */
async function ledgerAccountIdsInBulk(db: Db, accounts: readonly CurrencyAccount[]): Promise<Map<string, string>> {
  const unique = [...new Map(accounts.map((a) => [currencyAccountKey(a), a])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, a]) => a);
  const ids = await selectAccountIds(db, unique);
  const missing = unique.filter((a) => !ids.has(currencyAccountKey(a)));
  if (missing.length > 0) {
    await db
      .insertInto("ledger_accounts")
      .values(missing.map((a) => ({ kind: a.account.kind, organization_id: a.account.organizationId, counterparty_id: a.account.counterpartyId, currency: a.currency })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    for (const [key, id] of await selectAccountIds(db, missing)) ids.set(key, id);
    for (const a of missing) {
      if (!ids.has(currencyAccountKey(a))) throw new DomainError("INVARIANT", `Ledger account ${accountKey(a.account)} ${a.currency} was not created`);
    }
  }
  return ids;
}

/**
 * The ids of the accounts that exist among `accounts`, by currencyAccountKey. Three joins, one per
 * shape of key (a buyer's receivable towards a seller, a seller's payable, a platform account), so
 * that each is an equality on the whole unique key (an IS NOT DISTINCT FROM could not use it).
 */
async function selectAccountIds(db: Db, accounts: readonly CurrencyAccount[]): Promise<Map<string, string>> {
  const pairs = accounts.filter((a) => a.account.organizationId !== null && a.account.counterpartyId !== null);
  const owned = accounts.filter((a) => a.account.organizationId !== null && a.account.counterpartyId === null);
  const platform = accounts.filter((a) => a.account.organizationId === null);
  const column = <T>(list: readonly CurrencyAccount[], pick: (a: CurrencyAccount) => T) => list.map(pick);
  const { rows } = await sql<{ id: string; kind: AccountRef["kind"]; organization_id: string | null; counterparty_id: string | null; currency: Currency }>`
    select a.id, a.kind, a.organization_id, a.counterparty_id, a.currency
    from unnest(${column(pairs, (a) => a.account.kind)}::text[], ${column(pairs, (a) => a.account.organizationId)}::uuid[],
                ${column(pairs, (a) => a.account.counterpartyId)}::uuid[], ${column(pairs, (a) => a.currency)}::text[]) as k(kind, organization_id, counterparty_id, currency)
    join ledger_accounts a on a.kind = k.kind and a.organization_id = k.organization_id and a.counterparty_id = k.counterparty_id and a.currency = k.currency
    union all
    select a.id, a.kind, a.organization_id, a.counterparty_id, a.currency
    from unnest(${column(owned, (a) => a.account.kind)}::text[], ${column(owned, (a) => a.account.organizationId)}::uuid[], ${column(owned, (a) => a.currency)}::text[])
      as k(kind, organization_id, currency)
    join ledger_accounts a on a.kind = k.kind and a.organization_id = k.organization_id and a.counterparty_id is null and a.currency = k.currency
    union all
    select a.id, a.kind, a.organization_id, a.counterparty_id, a.currency
    from unnest(${column(platform, (a) => a.account.kind)}::text[], ${column(platform, (a) => a.currency)}::text[]) as k(kind, currency)
    join ledger_accounts a on a.kind = k.kind and a.organization_id is null and a.counterparty_id is null and a.currency = k.currency`.execute(db);
  return new Map(
    rows.map((r) => [currencyAccountKey({ currency: r.currency, account: { kind: r.kind, organizationId: r.organization_id, counterpartyId: r.counterparty_id } }), r.id]),
  );
}

/**
 * Every planned settlement's journal, entries, settlements row (the rule frozen), order update
 * (settled, settled_at, version) and timeline event "settled", in one statement: what
 * postSettlement writes for one order, for all of them. Checks that each part wrote one row per
 * order (the orders are locked: anything else is a bug, and the transaction is rolled back).
 */
async function writeSettlements(trx: Db, planned: readonly PlannedSettlement[], accounts: ReadonlyMap<string, string>): Promise<void> {
  const col = <T>(pick: (p: PlannedSettlement) => T) => planned.map(pick);
  const entries = planned.flatMap((p) =>
    p.entries.map((e) => ({ journalId: p.journalId, accountId: accounts.get(currencyAccountKey({ currency: e.currency, account: e.account }))!, currency: e.currency, amount: e.amount.toString() })),
  );
  const { rows } = await sql<{ journals: number; entries: number; settlements: number; orders: number; events: number }>`
    with journal as (
      insert into journals (id, idempotency_key, kind, order_id, currency, memo)
      select j.id, 'settlement:' || j.order_id, 'settlement', j.order_id, j.currency, j.memo
      from unnest(${col((p) => p.journalId)}::uuid[], ${col((p) => p.order.id)}::uuid[], ${col((p) => p.gross.currency)}::text[], ${col((p) => `Settlement of ${p.reference}`)}::text[])
        as j(id, order_id, currency, memo)
      returning id
    ), entry as (
      insert into ledger_entries (journal_id, account_id, currency, amount_minor)
      select e.journal_id, e.account_id, e.currency, e.amount_minor
      from unnest(${entries.map((e) => e.journalId)}::uuid[], ${entries.map((e) => e.accountId)}::uuid[], ${entries.map((e) => e.currency)}::text[], ${entries.map((e) => e.amount)}::bigint[])
        as e(journal_id, account_id, currency, amount_minor)
      returning id
    ), settlement as (
      insert into settlements (order_id, buyer_id, seller_id, journal_id, currency, gross_minor, commission_minor, net_minor, rule)
      select s.order_id, s.buyer_id, s.seller_id, s.journal_id, s.currency, s.gross, s.commission, s.net, s.rule::jsonb
      from unnest(
        ${col((p) => p.order.id)}::uuid[], ${col((p) => p.order.buyer_id)}::uuid[], ${col((p) => p.order.seller_id)}::uuid[], ${col((p) => p.journalId)}::uuid[],
        ${col((p) => p.gross.currency)}::text[], ${col((p) => p.gross.amount.toString())}::bigint[], ${col((p) => p.commission.amount.toString())}::bigint[],
        ${col((p) => p.net.amount.toString())}::bigint[], ${col((p) => JSON.stringify(ruleSnapshot(p.rule)))}::text[]
      ) as s(order_id, buyer_id, seller_id, journal_id, currency, gross, commission, net, rule)
      returning order_id
    ), settled as (
      update orders set status = 'settled', settled_at = now(), updated_at = now(), version = version + 1
      where id = any(${col((p) => p.order.id)}::uuid[])
      returning id
    ), event as (
      insert into order_events (order_id, buyer_id, seller_id, kind, actor_user_id, actor_kind, data)
      select v.order_id, v.buyer_id, v.seller_id, 'settled', null, 'system', v.data::jsonb
      from unnest(
        ${col((p) => p.order.id)}::uuid[], ${col((p) => p.order.buyer_id)}::uuid[], ${col((p) => p.order.seller_id)}::uuid[],
        ${col((p) => JSON.stringify({ gross: p.gross.amount.toString(), commission: p.commission.amount.toString(), net: p.net.amount.toString() }))}::text[]
      ) as v(order_id, buyer_id, seller_id, data)
      returning id
    )
    select (select count(*)::int from journal) as journals, (select count(*)::int from entry) as entries, (select count(*)::int from settlement) as settlements,
      (select count(*)::int from settled) as orders, (select count(*)::int from event) as events`.execute(trx);
  const written = rows[0];
  const count = planned.length;
  if (written?.journals !== count || written.entries !== entries.length || written.settlements !== count || written.orders !== count || written.events !== count) {
    throw new DomainError("INVARIANT", `A batch of ${count} settlements wrote ${JSON.stringify(written)}`);
  }
}

/**
 * What postSettlement's notifyMembers does for each order (its seller's owners told by e-mail
 * through the outbox and in the app, each in their language, template order.settled), for the
 * whole batch: notifyMembersInBulk reads the owners once and writes one multi-row insert per table.
 */
async function notifySellerOwners(trx: Db, planned: readonly PlannedSettlement[], publicUrls: PublicUrls | undefined): Promise<void> {
  await notifyMembersInBulk(
    trx,
    planned.map((p) => ({
      organizationId: p.order.seller_id,
      roles: ["owner"],
      template: "order.settled",
      params: (member: NotifiedMember) => ({
        name: member.name,
        orderReference: p.reference,
        grossMinor: p.gross.amount.toString(),
        commissionMinor: p.commission.amount.toString(),
        netMinor: p.net.amount.toString(),
        currency: p.gross.currency,
        ...(publicUrls ? { orderUrl: `${publicUrls.seller}/orders/${p.order.id}` } : {}),
      }),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// The worker's batcher: the settle jobs of one process, settled together

/** The most orders one batch of the batcher takes. */
export const SETTLEMENT_BATCH_MAX = 200;

export interface SettlementBatcher {
  /**
   * Settles the order with the others waiting in this process: settleOrder's result, or its error
   * (CONFLICT commission.no_rule, NOT_FOUND...) for this order alone.
   */
  settle(orderId: string): Promise<SettleOrderResult>;
}

/** What one batch did, for the worker's log. */
export interface SettlementBatchReport {
  orders: number;
  /**
   * batch: one transaction for all; alone: a batch of one (settleOrder); retried_alone: the batch
   * failed before its commit and each order ran alone; commit_unknown: its COMMIT failed without an
   * answer, every job got the error.
   */
  mode: "batch" | "alone" | "retried_alone" | "commit_unknown";
  ms: number;
  /** Jobs already waiting for the next batch. */
  waiting: number;
}

interface Waiting {
  orderId: string;
  resolve(result: SettleOrderResult): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the settle jobs of one process: the first runs at once; the jobs arriving while a batch
 * is in flight wait and go together in the next one (at most `maxBatch`), one transaction and one
 * connection per batch (settleOrders' postSettlements). Up to `maxInFlight` batches run at once, a
 * further one starting only while a full batch is waiting (one batch's commit then overlaps the
 * next one's work). Each job gets its own order's outcome.
 *
 * A batch that fails as a whole before its COMMIT was sent (a deadlock, a serialization failure,
 * a lost connection, a bug of one order) wrote nothing: each of its orders is settled again alone
 * with settleOrder, so one order's problem is never another's. A COMMIT that failed without the
 * server's answer (connection lost, the server gone) may have taken effect: its jobs get the error
 * and are retried later by the queue, when they find their orders settled (decision 0010's rule;
 * settling is idempotent, but the job must not report "settled" twice nor hide the failure).
 */
export function createSettlementBatcher(
  deps: ServiceDeps,
  options: { maxBatch?: number; maxInFlight?: number; onBatch?: (report: SettlementBatchReport) => void } = {},
): SettlementBatcher {
  const maxBatch = options.maxBatch ?? SETTLEMENT_BATCH_MAX;
  const maxInFlight = options.maxInFlight ?? 1;
  let waiting: Waiting[] = [];
  let inFlight = 0;

  // A batch starts when none is in flight (the first job at once, alone); another one beside it
  // only once a full batch is waiting.
  const pump = () => {
    while (waiting.length > 0 && (inFlight === 0 || (inFlight < maxInFlight && waiting.length >= maxBatch))) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(maxBatch);
      inFlight += 1;
      void (async () => {
        const started = performance.now();
        try {
          const mode = await runBatch(deps, batch);
          options.onBatch?.({ orders: batch.length, mode, ms: Math.round(performance.now() - started), waiting: waiting.length });
        } catch (error) {
          for (const w of batch) w.reject(error);
        } finally {
          inFlight -= 1;
          pump();
        }
      })();
    }
  };

  return {
    settle: (orderId) => {
      const done = new Promise<SettleOrderResult>((resolve, reject) => waiting.push({ orderId, resolve, reject }));
      pump();
      return done;
    },
  };
}

async function runBatch(deps: ServiceDeps, batch: readonly Waiting[]): Promise<SettlementBatchReport["mode"]> {
  if (batch.length === 1) {
    const [only] = batch as [Waiting];
    await settleOrder(deps, { orderId: only.orderId }).then(only.resolve, only.reject);
    return "alone";
  }
  let committing = false;
  let outcomes: Map<string, SettleOrdersItem>;
  try {
    outcomes = await withTransaction(deps.db, async (trx) => {
      const result = await postSettlements(
        trx,
        batch.map((w) => w.orderId),
        { publicUrls: deps.publicUrls },
      );
      committing = true;
      return result;
    });
  } catch (error) {
    if (committing && commitOutcomeUnknown(error)) {
      for (const w of batch) w.reject(error);
      return "commit_unknown";
    }
    await settleAlone(deps, batch);
    return "retried_alone";
  }
  const seen = new Set<string>();
  for (const w of batch) {
    const item = outcomes.get(w.orderId);
    if (!item) w.reject(new Error(`The settlement batch ended without an outcome for order ${w.orderId}`));
    else if (item.error) w.reject(item.error);
    // A duplicate job in the same batch: what it would have found one batch later.
    else if (seen.has(w.orderId) && item.status === "settled") w.resolve({ orderId: w.orderId, status: "already_settled", journalId: item.journalId });
    else w.resolve({ orderId: item.orderId, status: item.status as SettleOrderStatus, journalId: item.journalId });
    seen.add(w.orderId);
  }
  return "batch";
}

/**
 * Each order of a failed batch alone. Once one fails for a reason that is not its own (the
 * database is unreachable), the rest get that error without trying: the queue retries them later.
 */
async function settleAlone(deps: ServiceDeps, batch: readonly Waiting[]): Promise<void> {
  let down: unknown = null;
  for (const w of batch) {
    if (down !== null) {
      w.reject(down);
      continue;
    }
    try {
      w.resolve(await settleOrder(deps, { orderId: w.orderId }));
    } catch (error) {
      if (!isDomainError(error) && !definitelyRolledBack(error)) down = error;
      w.reject(error);
    }
  }
}

/** SQLSTATE of a PostgreSQL error (the server answered), or undefined. */
function sqlState(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether a failed COMMIT may have taken effect: no answer from the server (a lost connection, a
 * timeout), or the connection's end (class 08, or the server shutting down: 57P01-57P03). A COMMIT
 * the server refused with any other SQLSTATE (a deferred check, a serialization failure) rolled
 * the transaction back.
 */
export function commitOutcomeUnknown(error: unknown): boolean {
  const code = sqlState(error);
  return code === undefined || code.startsWith("08") || code.startsWith("57P");
}

/** The server refused the statement and the transaction is rolled back (a deadlock, a serialization failure...). */
function definitelyRolledBack(error: unknown): boolean {
  return !commitOutcomeUnknown(error);
}
