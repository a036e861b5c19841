import type { Db } from "@souk/db";
import type { OrganizationStatus, SellerRole } from "@souk/domain";
import { actorDeps, uniqueEmail } from "../identity/test-support";

/** Helpers for this folder's tests only (never exported from the package). */

/** A seller organisation with members of the given roles, made straight in the tables. */
export async function sellerOrganization(db: Db, roles: SellerRole[] = ["owner", "sales", "fulfilment"], status: OrganizationStatus = "pending") {
  const name = `Seller ${uniqueEmail("org")}`;
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status }).returning("id").executeTakeFirstOrThrow();
  const members: { userId: string; role: SellerRole; name: string; email: string }[] = [];
  for (const role of roles) {
    const email = uniqueEmail(role);
    const user = await db.insertInto("users").values({ email, name: `${role} person`, password_hash: "not-a-hash" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
    members.push({ userId: user.id, role, name: `${role} person`, email });
  }
  /** The deps of the member with this role (the first one). */
  const as = (role: SellerRole = "owner") => {
    const member = members.find((m) => m.role === role);
    if (!member) throw new Error(`no ${role}`);
    return actorDeps(db, { userId: member.userId, organizationId: org.id, kind: "seller", role });
  };
  return { id: org.id, name, members, as };
}

/** The first category ids of the tree: a top-level one and one of its children. */
export async function someCategoryIds(db: Db, count = 2): Promise<string[]> {
  const rows = await db.selectFrom("categories").select("id").orderBy("parent_id", "desc").orderBy("position").orderBy("slug").limit(count).execute();
  return rows.map((r) => r.id);
}

/** A complete application, as the form sends it. */
export function completeApplication(categoryIds: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalName: "Atlas Industrial Supplies SAS",
    tradingName: "Atlas Tools",
    country: "FR",
    companyNumber: "FR 40 303 265 045",
    addressLine1: "12 rue des Forges",
    addressLine2: "",
    postalCode: "69007",
    city: "Lyon",
    contactName: "Sam Seller",
    contactEmail: "sam@atlas.test",
    contactPhone: "+33 4 72 00 00 00",
    description: "Hand and power tools for workshops.\r\nNext-day delivery in France.",
    categoryIds,
    ...overrides,
  };
}

/** What an operator's "request more information" leaves behind, written straight in the tables. */
export async function requestInfo(db: Db, organizationId: string, question: string): Promise<void> {
  await db.updateTable("organizations").set({ status: "info_requested" }).where("id", "=", organizationId).execute();
  await db.insertInto("seller_decisions").values({ organization_id: organizationId, move: "request_info", from_status: "pending", to_status: "info_requested", message: question }).execute();
}

/** An operator decision into `to`, with its message, written straight in the tables. */
export async function decide(db: Db, organizationId: string, move: "approve" | "reject" | "suspend", to: OrganizationStatus, message: string | null, from: OrganizationStatus = "pending"): Promise<void> {
  await db.updateTable("organizations").set({ status: to }).where("id", "=", organizationId).execute();
  await db.insertInto("seller_decisions").values({ organization_id: organizationId, move, from_status: from, to_status: to, message }).execute();
}

export async function countRows(db: Db, table: "seller_applications" | "seller_application_categories" | "seller_documents" | "seller_decisions" | "audit_log", organizationId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("organization_id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
