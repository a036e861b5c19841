import { z } from "zod";
import { withTransaction } from "@souk/db";
import { INT8_MAX, isCurrency, validationError, type FieldErrors } from "@souk/domain";
import { requireApproval } from "../approvals/gate";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { currencyOf } from "../money/shared";
import { addressOf, deliveryAddressOf } from "./address-book";
import { placePurchase } from "./place-purchase";
import { assertBuyer, cartOf, groupByCurrency, priceLines, purchaseReference, pushError, PURCHASING_LIMITS, sumMinor, type PricedLine } from "./shared";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const checkoutCartSchema = z.object({
  currency: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v ?? ""),
    z.string({ error: "checkout.currency_invalid" }).min(1, { error: "checkout.currency_required", abort: true }).refine(isCurrency, { error: "checkout.currency_invalid" }),
  ),
  poNumber: z.preprocess(
    (v) => (v === undefined || v === null ? "" : typeof v === "string" ? v.trim() : v),
    z.string({ error: "checkout.po_number_invalid" }).max(PURCHASING_LIMITS.poNumber, { error: "checkout.po_number_too_long" }),
  ),
  addressId: z.preprocess(
    (v) => emptyToUndefined(typeof v === "string" ? v.trim().toLowerCase() : v),
    z.string({ error: (issue) => (issue.input === undefined ? "checkout.address_required" : "checkout.address_unknown") }).regex(UUID, { error: "checkout.address_unknown" }),
  ),
});
export type CheckoutCartInput = z.input<typeof checkoutCartSchema>;

export interface CheckoutResult {
  purchaseId: string;
  reference: string;
  /** placed: the orders exist; pending_approval: an approver decides first (nothing is reserved). */
  status: "placed" | "pending_approval";
  orderIds: string[];
  approvalId: string | null;
}

/**
 * Checks out the lines of one currency of the actor's cart. Inside one transaction (the cart
 * locked, so a double submit runs once) every line is priced again at the buyer's own price and
 * checked again: still visible to the buyer (its seller active), at least its minimum order
 * quantity, no more than the stock. Each problem is the field error `lines.<listingId>`; an address
 * that is not in the organisation's book is `addressId`: checkout.address_unknown; nothing is
 * written while any remains.
 *
 * Then a purchase is recorded with its lines (the cart's lines of that currency leave the cart),
 * the PO number and a copy of the delivery address, and goes through the approval gate: when a
 * rule of the buyer applies it waits (`pending_approval`: no order, no stock taken, the sellers
 * know nothing); otherwise it is placed at once (placePurchase: one order per seller, stock taken).
 */
export async function checkoutCart(deps: ActorDeps, input: unknown): Promise<CheckoutResult> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const data = parseInput(checkoutCartSchema, input);
  const currency = currencyOf(data.currency);
  const buyerId = actor.organizationId;

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const cartId = await cartOf(trx, actor, { lock: true });
    const errors: FieldErrors = {};
    const address = await addressOf(trx, buyerId, data.addressId);
    if (!address) pushError(errors, "addressId", "checkout.address_unknown");

    // The cart's lines in this currency, whether or not the buyer may still see their listing.
    const rows = await trx
      .selectFrom("cart_lines as cl")
      .innerJoin("listings as l", "l.id", "cl.listing_id")
      .select(["cl.listing_id", "cl.quantity"])
      .where("cl.cart_id", "=", cartId)
      .where("cl.buyer_id", "=", buyerId)
      .where("l.currency", "=", currency)
      .orderBy("cl.added_at")
      .orderBy("cl.listing_id")
      .execute();
    if (rows.length === 0) pushError(errors, "currency", "checkout.nothing_to_order");
    const priced = await priceLines(trx, buyerId, rows.map((r) => ({ listingId: r.listing_id, quantity: r.quantity })));
    const lines: PricedLine[] = [];
    for (const row of rows) {
      const line = priced.get(row.listing_id);
      if (!line) {
        pushError(errors, `lines.${row.listing_id}`, "checkout.line_unavailable");
        continue;
      }
      if (line.warnings.includes("below_minimum")) pushError(errors, `lines.${row.listing_id}`, "checkout.below_minimum");
      if (line.warnings.includes("above_stock")) pushError(errors, `lines.${row.listing_id}`, "checkout.stock_short");
      lines.push(line);
    }
    if (Object.keys(errors).length > 0 || !address) throw validationError(errors);

    const total = sumMinor(lines.map((l) => l.lineTotalMinor), currency);
    if (total.amount > INT8_MAX) throw validationError({ currency: ["checkout.total_too_large"] });
    // Sellers in the cart page's order, each seller's lines in the cart's order.
    const [group] = groupByCurrency(lines);
    const ordered = group!.sellers.flatMap((s) => s.lines.map((view) => priced.get(view.listingId)!));

    const purchase = await trx
      .insertInto("purchases")
      .values({
        buyer_id: buyerId,
        placed_by: actor.userId,
        currency,
        total_minor: total.amount.toString(),
        po_number: data.poNumber,
        delivery_address: JSON.stringify(deliveryAddressOf(address)),
        status: "pending_approval",
      })
      .returning(["id", "number"])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("purchase_lines")
      .values(
        ordered.map((l, position) => ({
          purchase_id: purchase.id,
          buyer_id: buyerId,
          position,
          listing_id: l.listingId,
          seller_id: l.seller.id,
          sku: l.sku,
          description: l.title,
          unit: l.unit,
          quantity: l.quantity,
          unit_price_minor: l.unitPriceMinor.toString(),
          line_total_minor: l.lineTotalMinor.toString(),
        })),
      )
      .execute();
    await trx
      .deleteFrom("cart_lines")
      .where("cart_id", "=", cartId)
      .where("listing_id", "in", ordered.map((l) => l.listingId))
      .execute();

    const reference = purchaseReference(purchase.number);
    const approval = await requireApproval(trx, {
      buyerOrganizationId: buyerId,
      subjectKind: "purchase",
      subjectId: purchase.id,
      currency,
      amountMinor: total.amount,
      requestedBy: actor.userId,
      title: purchaseTitle(reference, group!.sellers.map((s) => s.seller.name)),
      buyerUrl: deps.publicUrls.buyer,
    });
    if (approval) return { purchaseId: purchase.id, reference, status: "pending_approval" as const, orderIds: [], approvalId: approval.id };
    const { orderIds } = await placePurchase(trx, purchase.id, { publicUrls: deps.publicUrls, actor });
    return { purchaseId: purchase.id, reference, status: "placed" as const, orderIds, approvalId: null };
  });
}

/** What approvers read: "PUR-000012 · Cartonnerie du Rhône, Médina Fournitures". */
export function purchaseTitle(reference: string, sellerNames: readonly string[]): string {
  const names = sellerNames.join(", ");
  return `${reference} · ${names.length > 300 ? `${names.slice(0, 297)}…` : names}`;
}
