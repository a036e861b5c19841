import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { emptyToUndefined, parseInput } from "../../input";
import { assertPricingManager, formId, integerText, isActiveBuyer, PRIORITY_RANGE, sellerPriceList } from "./shared";

export const assignPriceListSchema = z
  .object({
    priceListId: z.unknown().optional(),
    groupId: z.preprocess(emptyToUndefined, formId("priceList.group_unknown").optional()),
    buyerId: z.preprocess(emptyToUndefined, formId("priceList.buyer_unknown").optional()),
    /** Higher first; empty means 0. */
    priority: integerText("priceList.priority_invalid", PRIORITY_RANGE.min, PRIORITY_RANGE.max, 0),
  })
  .refine((d) => (d.groupId === undefined) !== (d.buyerId === undefined), { path: ["target"], error: "priceList.target_required" });
export type AssignPriceListInput = z.input<typeof assignPriceListSchema>;

/**
 * Assigns one of the seller's price lists to an active buyer organisation or to one of the seller's
 * customer groups, with a priority (higher wins among the same kind of target; a buyer's own lists
 * always come before its groups' — the domain price rule). Assigning the same list to the same
 * target again only changes the priority.
 */
export async function assignPriceList(deps: ActorDeps, input: unknown): Promise<{ id: string; created: boolean }> {
  assertPricingManager(deps.actor);
  const data = parseInput(assignPriceListSchema, input);
  const sellerId = deps.actor.organizationId;
  return withTransaction(deps.db, async (trx) => {
    const list = await sellerPriceList(trx, sellerId, data.priceListId, "share");
    const values = { price_list_id: list.id, seller_id: sellerId, priority: data.priority };
    const created = sql<boolean>`xmax = 0`.as("created");

    if (data.groupId !== undefined) {
      // Shared lock: the group cannot be deleted under the assignment being written.
      const group = await trx.selectFrom("customer_groups").select("id").where("id", "=", data.groupId).where("seller_id", "=", sellerId).forShare().executeTakeFirst();
      if (!group) throw validationError({ groupId: ["priceList.group_unknown"] });
      return trx
        .insertInto("price_list_assignments")
        .values({ ...values, group_id: group.id })
        .onConflict((oc) => oc.columns(["price_list_id", "group_id"]).where("group_id", "is not", null).doUpdateSet({ priority: data.priority }))
        .returning(["id", created])
        .executeTakeFirstOrThrow();
    }
    const buyerId = data.buyerId as string;
    if (!(await isActiveBuyer(trx, buyerId))) throw validationError({ buyerId: ["priceList.buyer_unknown"] });
    return trx
      .insertInto("price_list_assignments")
      .values({ ...values, buyer_id: buyerId })
      .onConflict((oc) => oc.columns(["price_list_id", "buyer_id"]).where("buyer_id", "is not", null).doUpdateSet({ priority: data.priority }))
      .returning(["id", created])
      .executeTakeFirstOrThrow();
  });
}
