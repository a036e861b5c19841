import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { actorDeps, uniqueEmail } from "../../identity/test-support";
import { listingSeller, type ListingSeller } from "../../catalogue/listings/test-support";
import type { SellerOptions } from "../../vetting/test-support";

/** Fixtures of the seller-side RFQ tests (never exported from the package). */

export interface BuyerFixture {
  id: string;
  name: string;
  admin: ActorDeps;
  purchaser: ActorDeps;
  viewer: ActorDeps;
}

let buyerCounter = 0;

/** A buyer organisation with an admin, a purchaser and a viewer. */
export async function buyerOrg(db: Db, name?: string): Promise<BuyerFixture> {
  buyerCounter += 1;
  const orgName = name ?? `Buyer ${buyerCounter} ${uniqueEmail("b").slice(0, 10)}`;
  const org = await db.insertInto("organizations").values({ kind: "buyer", name: orgName, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const member = async (role: "admin" | "purchaser" | "viewer") => {
    const user = await db
      .insertInto("users")
      .values({ email: uniqueEmail(role), name: `${role} of ${orgName}`, password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
    return actorDeps(db, { userId: user.id, organizationId: org.id, kind: "buyer", role });
  };
  return { id: org.id, name: orgName, admin: await member("admin"), purchaser: await member("purchaser"), viewer: await member("viewer") };
}

/** An active seller serving packaging boxes (unless told otherwise), with owner, sales and fulfilment members. */
export function rfqSeller(db: Db, options: SellerOptions = {}): Promise<ListingSeller> {
  return listingSeller(db, options);
}

export interface RfqOptions {
  categorySlug?: string;
  currency?: string;
  status?: "draft" | "open" | "closed" | "awarded" | "cancelled";
  sealing?: "sealed" | "open";
  visibility?: "open" | "invited";
  /** The deadline, in milliseconds from the database clock (negative: past). Default one day. */
  deadlineInMs?: number;
  antiSniping?: { windowMinutes: number; maxExtensions: number };
  /** Quantities of the lines (one line per entry). */
  lines?: number[];
  invited?: string[];
  title?: string;
}

export interface RfqFixture {
  id: string;
  number: string;
  lineIds: string[];
  deadline: Date;
}

/** An RFQ written straight in the tables, open by default, its deadline set by the database clock. */
export async function insertRfq(db: Db, buyerId: string, options: RfqOptions = {}): Promise<RfqFixture> {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", options.categorySlug ?? "packaging-boxes").executeTakeFirstOrThrow();
  const status = options.status ?? "open";
  const row = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyerId,
      title: options.title ?? "Corrugated boxes for the spring season",
      description: "Double-wall, kraft, printed with our logo.",
      category_id: category.id,
      currency: options.currency ?? "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon, France",
      deadline: sql<Date>`clock_timestamp() + make_interval(secs => ${(options.deadlineInMs ?? 86_400_000) / 1000})`,
      visibility: options.visibility ?? "open",
      sealing: options.sealing ?? "sealed",
      anti_sniping_minutes: options.antiSniping?.windowMinutes ?? null,
      anti_sniping_max: options.antiSniping?.maxExtensions ?? null,
      status,
      cancel_reason: status === "cancelled" ? "No longer needed." : null,
      published_at: status === "draft" ? null : sql<Date>`now()`,
      closed_at: status === "closed" || status === "awarded" ? sql<Date>`now()` : null,
      updated_at: sql<Date>`now()`,
    })
    .returning(["id", "number", "deadline"])
    .executeTakeFirstOrThrow();
  const lineIds: string[] = [];
  for (const [position, quantity] of (options.lines ?? [100, 20]).entries()) {
    const line = await db
      .insertInto("rfq_lines")
      .values({ rfq_id: row.id, position, description: `Line ${position + 1}`, quantity, unit: "box", target_price_minor: null, listing_id: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    lineIds.push(line.id);
  }
  for (const sellerId of options.invited ?? []) await db.insertInto("rfq_invitations").values({ rfq_id: row.id, seller_id: sellerId }).execute();
  return { id: row.id, number: row.number, lineIds, deadline: new Date(row.deadline as Date) };
}

/** A valid offer form on `rfq`: every line at `price` (decimal text) and its asked quantity. */
export function offerForm(rfq: RfqFixture, overrides: Record<string, unknown> = {}, price = "1.25", quantities: number[] = [100, 20]): Record<string, unknown> {
  const form: Record<string, unknown> = { rfqId: rfq.id, leadTimeDays: "10", validUntil: "2099-12-31", notes: "Delivered on pallets." };
  rfq.lineIds.forEach((lineId, i) => {
    form[`lines.${i}.lineId`] = lineId;
    form[`lines.${i}.unitPrice`] = price;
    form[`lines.${i}.quantity`] = String(quantities[i] ?? 1);
  });
  return { ...form, ...overrides };
}

const TABLES = ["offers", "offer_lines", "offer_revisions", "offer_attachments", "rfq_questions", "outbox", "notifications", "audit_log"] as const;

/** Row counts of every table an offer-side use case writes, plus the RFQ rows, to show that a refused call changed nothing. */
export async function offerSnapshot(db: Db): Promise<{ counts: Record<(typeof TABLES)[number], number>; rfqs: unknown[] }> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  const rfqs = await db.selectFrom("rfqs").select(["id", "deadline", "extensions", "chain_head", "chain_length", "status"]).orderBy("id").execute();
  return { counts, rfqs };
}

/** Moves the RFQ's deadline to `ms` from the database clock (negative: into the past). */
export async function setDeadline(db: Db, rfqId: string, ms: number): Promise<Date> {
  const row = await db
    .updateTable("rfqs")
    .set({ deadline: sql<Date>`clock_timestamp() + make_interval(secs => ${ms / 1000})` })
    .where("id", "=", rfqId)
    .returning("deadline")
    .executeTakeFirstOrThrow();
  return new Date(row.deadline as Date);
}
