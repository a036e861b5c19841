import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { RFQ_LIMITS } from "./rfq-input";
import { containsPattern } from "../../list-input";
import { assertBuyerRfqCan } from "./shared";

export const SELLER_SEARCH_LIMIT = 20;

const uuidList = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.unknown()).max(RFQ_LIMITS.maxInvitedSellers * 2, { error: "rfq.invited_sellers_too_many" }),
);

export const findSellersToInviteSchema = z.object({
  q: z.preprocess((v) => (typeof v === "string" ? v.trim() : v ?? ""), z.string({ error: "rfq.seller_search_invalid" }).max(100, { error: "rfq.seller_search_too_long" })),
  /** The RFQ's category, if chosen: sellers serving it are marked (and listed first). */
  categoryId: z.unknown().optional(),
  /** Sellers already chosen: their names, to show them checked. */
  selectedIds: uuidList,
});
export type FindSellersToInviteInput = z.input<typeof findSellersToInviteSchema>;

export interface SellerToInvite {
  id: string;
  name: string;
  /** Serves the RFQ's category (the same one, its parent or a child). */
  servesCategory: boolean;
}

export interface SellersToInvite {
  /** Active sellers whose name holds the text (none for a text under 2 characters), at most SELLER_SEARCH_LIMIT. */
  matches: SellerToInvite[];
  /** The chosen ones that are still active sellers (others are left out: the form then says so when saved). */
  selected: SellerToInvite[];
}

const uuid = z.uuid();
const asIds = (values: readonly unknown[]) => [...new Set(values.flatMap((v) => (typeof v === "string" && uuid.safeParse(v.trim().toLowerCase()).success ? [v.trim().toLowerCase()] : [])))];

/**
 * Active seller organisations by name, for the RFQ form's invitations: only what a buyer may know
 * of any seller (its name, and whether it serves the category). Pending, suspended or rejected
 * sellers and other kinds of organisations are never listed.
 */
export async function findSellersToInvite(deps: ActorDeps, input: unknown): Promise<SellersToInvite> {
  const { actor, db } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const data = parseInput(findSellersToInviteSchema, input);
  const categoryId = typeof data.categoryId === "string" && uuid.safeParse(data.categoryId.trim().toLowerCase()).success ? data.categoryId.trim().toLowerCase() : null;
  const selectedIds = asIds(data.selectedIds);

  const base = db
    .selectFrom("organizations as o")
    .where("o.kind", "=", "seller")
    .where("o.status", "=", "active")
    .select((eb) => [
      "o.id",
      "o.name",
      categoryId
        ? eb
            .exists(
              eb
                .selectFrom("seller_application_categories as sc")
                .innerJoin("categories as served", "served.id", "sc.category_id")
                .innerJoin("categories as asked", (join) => join.on("asked.id", "=", categoryId))
                .select(sql`1`.as("one"))
                .whereRef("sc.organization_id", "=", "o.id")
                .where((w) => w.or([w("served.id", "=", w.ref("asked.id")), w("served.id", "=", w.ref("asked.parent_id")), w("served.parent_id", "=", w.ref("asked.id"))])),
            )
            .as("serves")
        : sql<boolean>`false`.as("serves"),
    ]);

  const [matches, selected] = await Promise.all([
    [...data.q].length < 2
      ? Promise.resolve([])
      : base
          .where("o.name", "ilike", containsPattern(data.q))
          .orderBy("serves", "desc")
          .orderBy("o.name")
          .orderBy("o.id")
          .limit(SELLER_SEARCH_LIMIT)
          .execute(),
    selectedIds.length === 0 ? Promise.resolve([]) : base.where("o.id", "in", selectedIds).orderBy("o.name").execute(),
  ]);
  const view = (r: { id: string; name: string; serves: unknown }) => ({ id: r.id, name: r.name, servesCategory: Boolean(r.serves) });
  return { matches: matches.map(view), selected: selected.map(view) };
}
