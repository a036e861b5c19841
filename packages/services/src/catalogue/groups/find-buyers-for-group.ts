import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { emailField, parseInput } from "../../input";
import { assertPricingManager } from "../pricing/shared";

export const findBuyersForGroupSchema = z.object({ email: emailField });
export type FindBuyersForGroupInput = z.input<typeof findBuyersForGroupSchema>;

export interface BuyerCandidate {
  buyerId: string;
  name: string;
}

/**
 * The active buyer organisations of which the person with this exact e-mail is a member. There is
 * no buyer directory: a seller adds a customer it already deals with by a contact's address, and
 * learns nothing about addresses it does not know.
 */
export async function findBuyersForGroup(deps: ActorDeps, input: unknown): Promise<BuyerCandidate[]> {
  assertPricingManager(deps.actor);
  const { email } = parseInput(findBuyersForGroupSchema, input);
  const rows = await deps.db
    .selectFrom("users as u")
    .innerJoin("memberships as m", "m.user_id", "u.id")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["o.id as buyerId", "o.name"])
    .where("u.email", "=", email)
    .where("o.kind", "=", "buyer")
    .where("o.status", "=", "active")
    .orderBy("o.name")
    .orderBy("o.id")
    .execute();
  return rows;
}
