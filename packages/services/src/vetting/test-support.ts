import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { OrganizationKind, OrganizationStatus, Role } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { actorDeps, uniqueEmail } from "../identity/test-support";

/** Fixtures of the vetting tests (never exported from the package). */

/** A member of a new organisation of `kind`, as the deps a route would build for them. */
export async function memberOf(db: Db, kind: OrganizationKind, role: Role, options: { name?: string; status?: OrganizationStatus } = {}): Promise<ActorDeps> {
  const org = await db
    .insertInto("organizations")
    .values({ kind, name: `${kind} ${uniqueEmail()}`, status: options.status ?? "active" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: uniqueEmail(role), name: options.name ?? `${role} person`, password_hash: "not-a-hash" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
  return actorDeps(db, { userId: user.id, organizationId: org.id, kind, role });
}

export const operator = (db: Db, role: "admin" | "moderator" | "finance", name?: string) => memberOf(db, "operator", role, { name });

export interface SellerFixture {
  id: string;
  name: string;
  owners: { userId: string; email: string; name: string; locale: "en" | "fr" }[];
  salesUserId: string;
}

export interface SellerOptions {
  status?: OrganizationStatus;
  /** When the application was submitted; null: never (a draft), undefined: just now. */
  submittedAt?: Date | string | null;
  country?: string;
  legalName?: string;
  categorySlugs?: string[];
  /** Locales of the owners, one owner per entry. */
  ownerLocales?: ("en" | "fr")[];
  /** No application row at all (a seller activated before the review existed). */
  withoutApplication?: boolean;
}

let sellerCounter = 0;

/** A seller organisation with owners, a sales member and (unless told otherwise) a submitted application. */
export async function seller(db: Db, options: SellerOptions = {}): Promise<SellerFixture> {
  sellerCounter += 1;
  const name = `Seller ${sellerCounter} ${uniqueEmail("s").slice(0, 12)}`;
  const org = await db
    .insertInto("organizations")
    .values({ kind: "seller", name, status: options.status ?? "pending" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const owners: SellerFixture["owners"] = [];
  for (const [index, locale] of (options.ownerLocales ?? ["en"]).entries()) {
    const email = uniqueEmail(`owner${index}`);
    const ownerName = `Owner ${index} of ${name}`;
    const user = await db.insertInto("users").values({ email, name: ownerName, password_hash: "x", locale }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "owner" }).execute();
    owners.push({ userId: user.id, email, name: ownerName, locale });
  }
  const sales = await db.insertInto("users").values({ email: uniqueEmail("sales"), name: `Sales of ${name}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: sales.id, role: "sales" }).execute();

  if (!options.withoutApplication) {
    await db
      .insertInto("seller_applications")
      .values({
        organization_id: org.id,
        legal_name: options.legalName ?? `${name} SARL`,
        trading_name: name,
        country: options.country ?? "FR",
        company_number: "73282932000074",
        address_line1: "12 rue des Tanneurs",
        address_line2: "Bâtiment B",
        postal_code: "69001",
        city: "Lyon",
        contact_name: owners[0]?.name ?? "Contact",
        contact_email: owners[0]?.email ?? "contact@example.test",
        contact_phone: "+33 4 72 00 00 00",
        description: "Industrial packaging for food producers.",
        submitted_at: options.submittedAt === undefined ? sql<Date>`now()` : options.submittedAt,
        updated_at: sql<Date>`now()`,
      })
      .execute();
    for (const slug of options.categorySlugs ?? ["packaging-boxes"]) {
      const category = await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
      await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: category.id }).execute();
    }
  }
  return { id: org.id, name, owners, salesUserId: sales.id };
}

/** The seller's own deps, as its owner (a seller trying to act as an operator). */
export function asOwner(db: Db, fixture: SellerFixture): ActorDeps {
  const owner = fixture.owners[0];
  if (!owner) throw new Error("the fixture has no owner");
  return actorDeps(db, { userId: owner.userId, organizationId: fixture.id, kind: "seller", role: "owner" });
}

export async function statusOf(db: Db, organizationId: string): Promise<string | undefined> {
  return (await db.selectFrom("organizations").select("status").where("id", "=", organizationId).executeTakeFirst())?.status;
}

const TABLES = ["organizations", "seller_decisions", "audit_log", "outbox", "notifications"] as const;

/** Row counts of the tables a decision writes, to show that a refused one wrote nothing. */
export async function decisionRowCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}
