import { sql } from "kysely";
import { z } from "zod";
import { money, type Currency } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { moneyView, type MoneyView } from "./money-view";
import { assertPricingManager, dayOf, sellerPriceList } from "./shared";

export const getPriceListSchema = z.object({ priceListId: z.unknown().optional() });
export type GetPriceListInput = z.input<typeof getPriceListSchema>;

export interface PriceListEntryView {
  listingId: string;
  sku: string;
  title: string;
  minQuantity: number;
  unitPrice: MoneyView;
  /**
   * The listing's currency is no longer the list's (the seller changed the listing since): the
   * price rule skips this list for that listing until the entry is replaced.
   */
  currencyMismatch: boolean;
}

export type PriceListTarget = { kind: "buyer"; buyerId: string; name: string } | { kind: "group"; groupId: string; name: string };

export interface PriceListAssignmentView {
  id: string;
  target: PriceListTarget;
  priority: number;
}

export interface PriceListDetail {
  id: string;
  name: string;
  currency: string;
  validFrom: string | null;
  validTo: string | null;
  entries: PriceListEntryView[];
  /** Highest priority first, as the price rule tries them. */
  assignments: PriceListAssignmentView[];
}

/** One of the actor's seller's price lists with its entries (by SKU, then quantity) and assignments. Another seller's is NOT_FOUND. */
export async function getPriceList(deps: ActorDeps, input: unknown): Promise<PriceListDetail> {
  assertPricingManager(deps.actor);
  const data = parseInput(getPriceListSchema, input);
  const sellerId = deps.actor.organizationId;
  const list = await sellerPriceList(deps.db, sellerId, data.priceListId);
  const currency = list.currency as Currency;

  const [entries, assignments] = await Promise.all([
    deps.db
      .selectFrom("price_list_entries as e")
      .innerJoin("listings as l", (join) => join.onRef("l.id", "=", "e.listing_id").onRef("l.seller_id", "=", "e.seller_id"))
      .select(["e.listing_id as listingId", "l.sku", "l.title", "l.currency as listingCurrency", "e.min_quantity as minQuantity", "e.unit_price_minor as unitPriceMinor"])
      .where("e.price_list_id", "=", list.id)
      .where("e.seller_id", "=", sellerId)
      .orderBy("l.sku")
      .orderBy("e.min_quantity")
      .execute(),
    deps.db
      .selectFrom("price_list_assignments as pa")
      .leftJoin("organizations as b", "b.id", "pa.buyer_id")
      .leftJoin("customer_groups as g", (join) => join.onRef("g.id", "=", "pa.group_id").onRef("g.seller_id", "=", "pa.seller_id"))
      .select(["pa.id", "pa.buyer_id as buyerId", "pa.group_id as groupId", "pa.priority", "b.name as buyerName", "g.name as groupName"])
      .where("pa.price_list_id", "=", list.id)
      .where("pa.seller_id", "=", sellerId)
      .orderBy("pa.priority", "desc")
      .orderBy(sql`coalesce(b.name, g.name)`)
      .orderBy("pa.id")
      .execute(),
  ]);

  return {
    id: list.id,
    name: list.name,
    currency: list.currency,
    validFrom: dayOf(list.validFrom),
    validTo: dayOf(list.validTo),
    entries: entries.map((e) => ({
      listingId: e.listingId,
      sku: e.sku,
      title: e.title,
      minQuantity: e.minQuantity,
      unitPrice: moneyView(money(BigInt(e.unitPriceMinor), currency)),
      currencyMismatch: e.listingCurrency !== list.currency,
    })),
    assignments: assignments.map((a) => ({
      id: a.id,
      priority: a.priority,
      target:
        a.buyerId !== null
          ? { kind: "buyer", buyerId: a.buyerId, name: a.buyerName ?? "" }
          : { kind: "group", groupId: a.groupId ?? "", name: a.groupName ?? "" },
    })),
  };
}
