import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { Role } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { actorDeps, uniqueEmail } from "../../identity/test-support";
import { asOwner, memberOf, seller, type SellerFixture, type SellerOptions } from "../../vetting/test-support";

/** Fixtures of the buyer's RFQ tests (never exported from the package). */

export async function categoryIdOf(db: Db, slug = "packaging-boxes"): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

/** A purchaser of a new buyer organisation. */
export const buyerMember = (db: Db, role: Role = "purchaser") => memberOf(db, "buyer", role);

/** Another member, with `role`, of the same organisation as `of`. */
export async function colleague(db: Db, of: ActorDeps, role: Role): Promise<ActorDeps> {
  const user = await db.insertInto("users").values({ email: uniqueEmail(role), name: `${role} colleague`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: of.actor.organizationId, user_id: user.id, role }).execute();
  return actorDeps(db, { userId: user.id, organizationId: of.actor.organizationId, kind: "buyer", role });
}

/** An active seller (serving packaging boxes unless told otherwise) and its owner's deps. */
export async function activeSeller(db: Db, options: SellerOptions = {}): Promise<SellerFixture & { deps: ActorDeps }> {
  const s = await seller(db, { status: "active", ...options });
  return { ...s, deps: asOwner(db, s) };
}

/** "YYYY-MM-DDTHH:mm" in UTC, `minutes` from now (the form's deadline with timeZone "UTC"). */
export function localIn(minutes: number, from = new Date()): string {
  return new Date(from.getTime() + minutes * 60_000).toISOString().slice(0, 16);
}

/** A valid RFQ form: two lines, open to the category, sealed, a deadline two days ahead (UTC). */
export function rfqForm(categoryId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "Corrugated boxes for the spring season",
    description: "Double-wall kraft.\nPalletised delivery.",
    categoryId,
    currency: "EUR",
    incoterm: "DAP",
    deliveryPlace: "Lyon, FR",
    deadline: localIn(2 * 24 * 60),
    timeZone: "UTC",
    visibility: "open",
    sealing: "sealed",
    "lines.0.description": "Box 40x30x20",
    "lines.0.quantity": "1000",
    "lines.0.unit": "box",
    "lines.0.targetPrice": "1.10",
    "lines.1.description": "Box 60x40x40",
    "lines.1.quantity": "500",
    "lines.1.unit": "box",
    ...overrides,
  };
}

export async function rfqRow(db: Db, id: string) {
  return db.selectFrom("rfqs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function lineIdsOf(db: Db, rfqId: string): Promise<string[]> {
  return (await db.selectFrom("rfq_lines").select("id").where("rfq_id", "=", rfqId).orderBy("position").execute()).map((r) => r.id);
}

export interface OfferFixture {
  status?: "submitted" | "revised" | "withdrawn" | "locked";
  leadTimeDays?: number;
  /** [lineId, quantity, unitPriceMinor] */
  lines: [string, number, number][];
  currency?: string;
}

/** An offer written straight in the tables (helper SELLER's saveOffer is the real way in). */
export async function insertOffer(db: Db, rfqId: string, sellerId: string, fixture: OfferFixture): Promise<string> {
  const total = fixture.lines.reduce((s, [, q, p]) => s + BigInt(q) * BigInt(p), 0n);
  const row = await db
    .insertInto("offers")
    .values({
      rfq_id: rfqId,
      seller_id: sellerId,
      status: fixture.status ?? "submitted",
      currency: fixture.currency ?? "EUR",
      lead_time_days: fixture.leadTimeDays ?? 10,
      valid_until: sql<Date>`now() + interval '60 days'`,
      notes: "Palletised, 48 h notice.",
      total_minor: total.toString(),
      submitted_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [lineId, quantity, price] of fixture.lines) {
    await db.insertInto("offer_lines").values({ offer_id: row.id, rfq_id: rfqId, line_id: lineId, quantity, unit_price_minor: String(price) }).execute();
  }
  return row.id;
}

/** Closes an RFQ as the closing job would (deadline passed, live offers locked), straight in the tables. */
export async function closeDirectly(db: Db, rfqId: string): Promise<void> {
  await db.updateTable("rfqs").set({ status: "closed", deadline: sql<Date>`now() - interval '1 minute'`, closed_at: sql<Date>`now()` }).where("id", "=", rfqId).execute();
  await db.updateTable("offers").set({ status: "locked" }).where("rfq_id", "=", rfqId).where("status", "in", ["submitted", "revised"]).execute();
}

export async function insertQuestion(db: Db, rfqId: string, sellerId: string, question = "Is a single-wall box acceptable?"): Promise<string> {
  return (await db.insertInto("rfq_questions").values({ rfq_id: rfqId, seller_id: sellerId, question }).returning("id").executeTakeFirstOrThrow()).id;
}

const TABLES = ["rfqs", "rfq_lines", "rfq_invitations", "rfq_attachments", "rfq_questions", "offers", "outbox", "notifications", "audit_log"] as const;

/** Row counts of every table an RFQ use case writes, to show that a refused call wrote nothing. */
export async function rfqRowCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
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

/** The in-app notifications of an organisation's members, by template. */
export async function noticesOf(db: Db, organizationId: string, template: string) {
  return db.selectFrom("notifications").select(["user_id", "subject", "body", "channel"]).where("organization_id", "=", organizationId).where("template", "=", template).execute();
}
