import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager } from "../pricing/shared";
import { groupNameField, nameTaken } from "./shared";

export const createCustomerGroupSchema = z.object({ name: groupNameField });
export type CreateCustomerGroupInput = z.input<typeof createCustomerGroupSchema>;

/** A new, empty customer group of the actor's seller. Names are unique per seller (case-insensitively). */
export async function createCustomerGroup(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const { name } = parseInput(createCustomerGroupSchema, input);
  // The unique index (seller, lower(name)) decides, so two concurrent creations cannot both win.
  const row = await deps.db
    .insertInto("customer_groups")
    .values({ seller_id: deps.actor.organizationId, name })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw nameTaken();
  return { id: row.id };
}
