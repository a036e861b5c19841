import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError, notFound, validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { notifyMembers } from "../notifications/notify-members";
import { payoutReference, storedMoney } from "./shared";
import type { ProviderPayout } from "./payment-provider";

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
 * payout or a seller that is not active → VALIDATION `_form` "payout.seller_held".
 */
export async function lockPayoutForDecision(trx: Db, payoutId: string, decision: "paid" | "failed"): Promise<LockedPayout> {
  const payout = await trx.selectFrom("payouts").select(["id", "number", "seller_id", "currency", "amount_minor", "status"]).where("id", "=", payoutId).forUpdate().executeTakeFirst();
  if (!payout) throw notFound("Payout");
  const seller = await trx.selectFrom("organizations").select("status").where("id", "=", payout.seller_id).forShare().executeTakeFirstOrThrow();
  if (decision === "paid" && (payout.status === "held" || (payout.status === "pending" && seller.status !== "active"))) {
    throw validationError({ _form: ["payout.seller_held"] }, "payout.seller_held");
  }
  if (payout.status !== "pending") throw new DomainError("CONFLICT", "payout.not_pending", { _form: ["payout.not_pending"] });
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

export function providerPayout(payout: LockedPayout): ProviderPayout {
  return { id: payout.id, reference: payout.reference, sellerId: payout.sellerId, amount: storedMoney(payout.amountMinor, payout.currency) };
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
