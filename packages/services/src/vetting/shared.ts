import { sql } from "kysely";
import type { Db } from "@souk/db";
import {
  assertCan,
  availableDecisions,
  DomainError,
  ORGANIZATION_STATUSES,
  type Actor,
  type OrganizationStatus,
  type SellerDecision,
  type SellerStatus,
} from "@souk/domain";
import type { AuditAction } from "../audit/record-audit";
export { existingId } from "../input";

/**
 * Helpers of the operator's review of sellers, shared by the use cases of this folder. Not exported
 * from the package.
 */

/** Every status a seller organisation can have, in the order the review queue shows them. */
export const SELLER_STATUSES = ORGANIZATION_STATUSES satisfies readonly SellerStatus[];

/** The audit action each decision writes. */
export const DECISION_AUDIT_ACTION: Record<SellerDecision, AuditAction> = {
  approve: "seller.approved",
  reject: "seller.rejected",
  request_info: "seller.info_requested",
  suspend: "seller.suspended",
  reinstate: "seller.reinstated",
};

/** Only operators who review sellers (admin, moderator); finance, sellers and buyers are FORBIDDEN. */
export function assertReviewer(actor: Actor): void {
  assertCan(actor, "review:sellers:any");
}

/**
 * The decisions an operator may take now. Beyond the state machine (availableDecisions), a pending
 * seller that has not submitted its application yet is still filling it in: there is nothing to
 * decide on.
 */
export function decisionsFor(status: OrganizationStatus, submitted: boolean): SellerDecision[] {
  if (status === "pending" && !submitted) return [];
  return availableDecisions(status);
}

/** Refusal of a decision on an application that was never submitted. */
export function notSubmitted(): DomainError {
  return new DomainError("ILLEGAL_TRANSITION", "seller.not_submitted", { decision: ["seller.not_submitted"] });
}


/** A category a seller serves, named in both languages (the page picks its own). */
export interface ReviewCategory {
  id: string;
  nameEn: string;
  nameFr: string;
}

/** The categories each seller serves, in tree order. */
export async function categoriesOf(db: Db, organizationIds: string[]): Promise<Map<string, ReviewCategory[]>> {
  const byOrganization = new Map<string, ReviewCategory[]>();
  if (organizationIds.length === 0) return byOrganization;
  const rows = await db
    .selectFrom("seller_application_categories as sac")
    .innerJoin("categories as c", "c.id", "sac.category_id")
    .leftJoin("categories as p", "p.id", "c.parent_id")
    .select(["sac.organization_id as organizationId", "c.id", "c.name_en as nameEn", "c.name_fr as nameFr"])
    .where("sac.organization_id", "in", organizationIds)
    .orderBy(sql`coalesce(p.position, c.position)`)
    .orderBy(sql`p.id is not null`)
    .orderBy("c.position")
    .orderBy("c.slug")
    .execute();
  for (const { organizationId, ...category } of rows) {
    const list = byOrganization.get(organizationId) ?? [];
    list.push(category);
    byOrganization.set(organizationId, list);
  }
  return byOrganization;
}
