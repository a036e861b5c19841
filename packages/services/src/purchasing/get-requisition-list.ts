import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertListReader, LIST_LIMITS, listAbilities, listOf } from "./requisition-list-access";
import { groupByCurrency, lineView, priceLines, type MoneyView, type PricedLine, type PricedLineView } from "./shared";

export const getRequisitionListSchema = z.object({ listId: z.unknown() });

export interface RequisitionItemView {
  listingId: string;
  quantity: number;
  note: string;
  addedBy: string | null;
  addedAt: string;
  /** The listing at the buyer's price for the item's quantity; null when the buyer may no longer see it. */
  line: PricedLineView | null;
}

export interface RequisitionListView {
  id: string;
  name: string;
  description: string;
  createdBy: string | null;
  updatedAt: string;
  items: RequisitionItemView[];
  /** What the available items cost now, per currency. */
  totals: MoneyView[];
  canEdit: boolean;
  canOrder: boolean;
  canRequestQuote: boolean;
  maxItems: number;
}

/** One requisition list of the organisation, each item at the buyer's own price now; another organisation's is NOT_FOUND. */
export async function getRequisitionList(deps: ActorDeps, input: unknown): Promise<RequisitionListView> {
  const { actor, db } = deps;
  assertListReader(actor);
  const list = await listOf(db, actor.organizationId, parseInput(getRequisitionListSchema, input).listId);
  const [items, creator] = await Promise.all([
    db
      .selectFrom("requisition_list_items as i")
      .leftJoin("users as u", "u.id", "i.added_by")
      .select(["i.listing_id", "i.quantity", "i.note", "i.added_at", "u.name as added_by_name"])
      .where("i.list_id", "=", list.id)
      .where("i.buyer_id", "=", actor.organizationId)
      .orderBy("i.added_at")
      .orderBy("i.listing_id")
      .execute(),
    list.created_by ? db.selectFrom("users").select("name").where("id", "=", list.created_by).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const priced = await priceLines(db, actor.organizationId, items.map((i) => ({ listingId: i.listing_id, quantity: i.quantity })));
  const available: PricedLine[] = items.flatMap((i) => (priced.has(i.listing_id) ? [priced.get(i.listing_id)!] : []));
  return {
    id: list.id,
    name: list.name,
    description: list.description,
    createdBy: creator?.name ?? null,
    updatedAt: list.updated_at.toISOString(),
    items: items.map((i) => {
      const line = priced.get(i.listing_id);
      return { listingId: i.listing_id, quantity: i.quantity, note: i.note, addedBy: i.added_by_name, addedAt: i.added_at.toISOString(), line: line ? lineView(line) : null };
    }),
    totals: groupByCurrency(available).map((g) => g.total),
    ...listAbilities(actor),
    maxItems: LIST_LIMITS.items,
  };
}

