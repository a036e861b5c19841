import { sql } from "kysely";
import type { Db } from "@souk/db";
import { assertCan, DomainError, forbidden, notFound, type Actor, type Permission } from "@souk/domain";
import type { MoneyView } from "../catalogue/pricing/money-view";
export { existingId } from "../input";
export { moneyOf } from "../catalogue/pricing/money-view";
export { orderReference, rfqReference } from "../rfq/common";

/** Helpers of the approval and award use cases (not exported from the package). */

export type { MoneyView };

export const APPROVER_ROLES = ["admin", "approver"] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** A buyer member with `permission` (services check it even though routes already did). */
export function assertBuyerCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "buyer") throw forbidden(`Missing permission ${permission}`);
  assertCan(actor, permission);
}

export interface BuyerOrganization {
  id: string;
  name: string;
  /** The organisation itself when it is the root, else the root it is a branch of. */
  rootId: string;
  isRoot: boolean;
}

/**
 * A buyer organisation and its root. Branches hang off the root (one level, as the demo and the
 * members pages have them), but the walk follows parents all the way up so a deeper tree still
 * finds the organisation that owns the rules.
 */
export async function buyerOrganization(db: Db, organizationId: string): Promise<BuyerOrganization> {
  const result = await sql<{ id: string; name: string; root_id: string }>`
    with recursive up (id, parent_id, depth) as (
      select id, parent_id, 0 from organizations where id = ${organizationId} and kind = 'buyer'
      union all
      select o.id, o.parent_id, up.depth + 1 from organizations o join up on o.id = up.parent_id where up.depth < 16
    )
    select self.id, self.name, (select up.id from up where up.parent_id is null limit 1) as root_id
    from organizations self where self.id = ${organizationId} and self.kind = 'buyer'`.execute(db);
  const row = result.rows[0];
  if (!row) throw notFound("Organization");
  if (!row.root_id) throw new DomainError("INVARIANT", `Buyer organisation ${organizationId} has no root`);
  return { id: row.id, name: row.name, rootId: row.root_id, isRoot: row.root_id === row.id };
}

/** A unique violation of `constraint` (PostgreSQL 23505), e.g. the one-live-award index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === "23505" && (constraint === undefined || e.constraint === constraint);
}

/** The actor's role as it is now (share-locked until the transaction ends), or null if they left. */
export async function currentRole(db: Db, actor: Actor): Promise<string | null> {
  const row = await db
    .selectFrom("memberships")
    .select("role")
    .where("organization_id", "=", actor.organizationId)
    .where("user_id", "=", actor.userId)
    .forShare()
    .executeTakeFirst();
  return row?.role ?? null;
}


