import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError, notFound, validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { notifyMembers } from "../notifications/notify-members";
import { payoutReference } from "./shared";

/** What markPayoutPaid and markPayoutFailed share (not exported from the package). */

export interface LockedPayout {
  id: string;
  number: string;
  reference: string;
  sellerId: string;
  currency: string;
  amountMinor: string;
  status: string;
  sellerStatus: string;
}

/**
 * The payout under its row lock, and its seller's status under a share lock (a suspension being
 * decided waits, or is seen). Not pending → CONFLICT "payout.not_pending"; for a payment, a held
 * payout or a seller that is not active → VALIDATION `_form` "payout.seller_held", and a payout
 * holding a journal of an order under an open dispute → VALIDATION `_form` "payout.dispute_open".
 */
export async function lockPayoutForDecision(trx: Db, payoutId: string, decision: "paid" | "failed"): Promise<LockedPayout> {
  const payout = await trx.selectFrom("payouts").select(["id", "number", "seller_id", "currency", "amount_minor", "status"]).where("id", "=", payoutId).forUpdate().executeTakeFirst();
  if (!payout) throw notFound("Payout");
  const seller = await trx.selectFrom("organizations").select("status").where("id", "=", payout.seller_id).forShare().executeTakeFirstOrThrow();
  if (decision === "paid" && (payout.status === "held" || (payout.status === "pending" && seller.status !== "active"))) {
    throw validationError({ _form: ["payout.seller_held"] }, "payout.seller_held");
  }
  if (payout.status !== "pending") throw new DomainError("CONFLICT", "payout.not_pending", { _form: ["payout.not_pending"] });
  if (decision === "paid" && (await holdsDisputedOrder(trx, payout.id))) throw validationError({ _form: ["payout.dispute_open"] }, "payout.dispute_open");
  return {
    id: payout.id,
    number: payout.number,
    reference: payoutReference(payout.number),
    sellerId: payout.seller_id,
    currency: payout.currency,
    amountMinor: payout.amount_minor,
    status: payout.status,
    sellerStatus: seller.status,
  };
}

/**
 * Whether the payout holds a journal of an order whose dispute is open. A payout run leaves such
 * journals out, but a dispute opened after the run (within the window after delivery) must stop the
 * payment too: the dispute may end in a refund taken back from the seller. A failed payout's
 * journal gives its items back to the seller's payable, and the next run batches it: the orders of
 * the failed payout's items count too (and so on up the chain). The orders are share-locked first
 * (in id order): a dispute being opened (openDispute locks its order FOR UPDATE) commits before the
 * check reads, or waits until the payment is recorded.
 */
async function holdsDisputedOrder(trx: Db, payoutId: string): Promise<boolean> {
  const { rows: orders } = await sql<{ id: string }>`
    with recursive held (journal_id) as (
      select pi.journal_id from payout_items pi where pi.payout_id = ${payoutId}
      union
      select pi.journal_id from held h
      join journals j on j.id = h.journal_id and j.kind = 'payout_failed'
      join payout_items pi on pi.payout_id = j.payout_id
    )
    select distinct o.id from held h join journals j on j.id = h.journal_id join orders o on o.id = j.order_id`.execute(trx);
  if (orders.length === 0) return false;
  const ids = orders.map((o) => o.id);
  await trx.selectFrom("orders").select("id").where("id", "in", ids).orderBy("id").forShare().execute();
  const open = await trx.selectFrom("disputes").select("id").where("order_id", "in", ids).where("status", "=", "open").limit(1).executeTakeFirst();
  return open !== undefined;
}

export async function recordPayoutDecision(
  trx: Db,
  payoutId: string,
  decision: { status: "paid"; providerReference: string; by: string } | { status: "failed"; reason: string; by: string },
): Promise<void> {
  await trx
    .updateTable("payouts")
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: sql<Date>`now()`,
      ...(decision.status === "paid" ? { provider_reference: decision.providerReference } : { failure_reason: decision.reason }),
    })
    .where("id", "=", payoutId)
    .execute();
}

/** The seller's owners learn the payout's fate (template payout.paid / payout.failed). */
export async function tellSellerOwners(
  trx: Db,
  deps: Pick<ActorDeps, "publicUrls">,
  payout: LockedPayout,
  detail: { template: "payout.paid"; providerReference: string } | { template: "payout.failed"; reason: string },
): Promise<void> {
  const common = (name: string) => ({
    name,
    payoutReference: payout.reference,
    amountMinor: payout.amountMinor,
    currency: payout.currency,
    payoutsUrl: `${deps.publicUrls.seller}/payouts/${payout.id}`,
  });
  if (detail.template === "payout.paid") {
    await notifyMembers(trx, { organizationId: payout.sellerId, roles: ["owner"], template: "payout.paid", params: (m) => ({ ...common(m.name), providerReference: detail.providerReference }) });
  } else {
    await notifyMembers(trx, { organizationId: payout.sellerId, roles: ["owner"], template: "payout.failed", params: (m) => ({ ...common(m.name), reason: detail.reason }) });
  }
}
