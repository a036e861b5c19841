import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError } from "@souk/domain";
import { placePurchase, type PlacePurchaseOptions } from "./place-purchase";
import { purchaseReference } from "./shared";

/**
 * The purchase side of decideApproval (approvals/decide-approval.ts), in its transaction: an
 * approved purchase is placed (placePurchase: orders, stock taken — a shortfall refuses the
 * approval as a whole, nothing changes); a rejected one is `rejected` and nothing was ever
 * reserved for it. Returns the orders placed and the purchase's reference (what the requester is
 * told about).
 */
export async function decidePurchaseApproval(
  trx: Db,
  approval: { subject_id: string; buyer_id: string },
  status: "approved" | "rejected",
  options: PlacePurchaseOptions,
): Promise<{ orderIds: string[]; reference: string; purchaseId: string }> {
  const purchase = await trx.selectFrom("purchases").select(["id", "number", "status"]).where("id", "=", approval.subject_id).where("buyer_id", "=", approval.buyer_id).forUpdate().executeTakeFirst();
  if (!purchase) throw new DomainError("INVARIANT", `Purchase ${approval.subject_id} of an approval does not exist`);
  const reference = purchaseReference(purchase.number);
  if (status === "approved") {
    const { orderIds } = await placePurchase(trx, purchase.id, options);
    return { orderIds, reference, purchaseId: purchase.id };
  }
  if (purchase.status !== "pending_approval") throw new DomainError("CONFLICT", "purchase.not_pending", { _form: ["purchase.not_pending"] });
  await trx.updateTable("purchases").set({ status: "rejected", decided_at: sql<Date>`now()` }).where("id", "=", purchase.id).execute();
  return { orderIds: [], reference, purchaseId: purchase.id };
}
