import type { Db } from "@souk/db";
import { assertCan, can, forbidden, type Actor } from "@souk/domain";

/**
 * Helpers of the operator's listing moderation, shared by the use cases of this folder. Not
 * exported from the package.
 */

/** Operators who moderate listings (admin, moderator); finance, sellers and buyers are FORBIDDEN. */
export function assertModerator(actor: Actor): void {
  assertCan(actor, "moderate:listings:any");
}

/**
 * Re-checks, inside the moderation's transaction, that the actor still holds a moderator's role:
 * the actor was read when the request started, and an administrator may have changed their role
 * since. The membership row stays share-locked until the decision commits.
 */
export async function assertStillModerator(db: Db, actor: Actor): Promise<void> {
  const membership = await db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["m.role", "o.kind", "o.status"])
    .where("m.organization_id", "=", actor.organizationId)
    .where("m.user_id", "=", actor.userId)
    .forShare("m")
    .executeTakeFirst();
  if (!membership || membership.status !== "active" || !can(membership.kind, membership.role, "moderate:listings:any")) {
    throw forbidden("Missing permission moderate:listings:any");
  }
}
