import { can } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { assertBuyer, existingCartOf, groupByCurrency, priceLines, PURCHASING_LIMITS, type CurrencyGroupView, type PricedLine } from "./shared";

export interface CartView {
  /** The lines per currency (one checkout each), then per seller, at the buyer's own prices. */
  groups: CurrencyGroupView[];
  /**
   * Lines whose listing the buyer may no longer see (unlisted, blocked, seller suspended, restricted
   * since): nothing is said about them but that they are no longer available; they can be removed.
   */
  unavailable: { listingId: string; quantity: number }[];
  lineCount: number;
  maxLines: number;
}

/**
 * The actor's cart in its buyer organisation (each member has their own), every line at the
 * buyer's own price for its quantity (the catalogue's pricing rule, priced as a page: a constant
 * number of statements), with the minimum-order and stock warnings the checkout would refuse.
 */
export async function getCart(deps: ActorDeps, _input: unknown = {}): Promise<CartView> {
  const { actor, db } = deps;
  assertBuyer(actor, "create:order:org");
  const cartId = await existingCartOf(db, actor);
  const rows = cartId
    ? await db.selectFrom("cart_lines").select(["listing_id", "quantity"]).where("cart_id", "=", cartId).where("buyer_id", "=", actor.organizationId).orderBy("added_at").orderBy("listing_id").execute()
    : [];
  const priced = await priceLines(db, actor.organizationId, rows.map((r) => ({ listingId: r.listing_id, quantity: r.quantity })));
  const lines: PricedLine[] = [];
  const unavailable: CartView["unavailable"] = [];
  for (const r of rows) {
    const line = priced.get(r.listing_id);
    if (line) lines.push(line);
    else unavailable.push({ listingId: r.listing_id, quantity: r.quantity });
  }
  return { groups: groupByCurrency(lines), unavailable, lineCount: rows.length, maxLines: PURCHASING_LIMITS.cartLines };
}

/** Whether the actor may buy (a cart, quick order, checkout): admins and purchasers. */
export function canBuy(actor: ActorDeps["actor"]): boolean {
  return actor.organizationKind === "buyer" && can(actor.organizationKind, actor.role, "create:order:org");
}
