import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { BuyerRole } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { actorDeps, uniqueEmail } from "../identity/test-support";
import { seller, type SellerFixture } from "../vetting/test-support";

/** Fixtures of the award, approval and order tests (never exported from the package). */

export interface BuyerFixture {
  id: string;
  name: string;
  admin: ActorDeps;
  purchaser: ActorDeps;
  approver: ActorDeps;
  viewer: ActorDeps;
  /** Another member of a role, as deps. */
  member(role: BuyerRole, locale?: "en" | "fr"): Promise<ActorDeps>;
}

let buyerCounter = 0;

/** A buyer organisation (a branch of `parentId` when given) with one member of each role. */
export async function buyer(db: Db, options: { parentId?: string; name?: string } = {}): Promise<BuyerFixture> {
  buyerCounter += 1;
  const name = options.name ?? `Buyer ${buyerCounter} ${uniqueEmail("b").slice(0, 10)}`;
  const org = await db
    .insertInto("organizations")
    .values({ kind: "buyer", name, status: "active", parent_id: options.parentId ?? null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const member = async (role: BuyerRole, locale: "en" | "fr" = "en") => {
    const user = await db
      .insertInto("users")
      .values({ email: uniqueEmail(role), name: `${role} of ${name}`, password_hash: "x", locale })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
    return actorDeps(db, { userId: user.id, organizationId: org.id, kind: "buyer", role });
  };
  return { id: org.id, name, admin: await member("admin"), purchaser: await member("purchaser"), approver: await member("approver"), viewer: await member("viewer"), member };
}

export interface SellerWithMembers extends SellerFixture {
  owner: ActorDeps;
  sales: ActorDeps;
  fulfilmentUserId: string;
}

/** An active seller with an owner, a sales and a fulfilment member. */
export async function activeSeller(db: Db): Promise<SellerWithMembers> {
  const s = await seller(db, { status: "active" });
  const user = await db.insertInto("users").values({ email: uniqueEmail("fulfilment"), name: `Fulfilment of ${s.name}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: s.id, user_id: user.id, role: "fulfilment" }).execute();
  return {
    ...s,
    owner: actorDeps(db, { userId: s.owners[0]!.userId, organizationId: s.id, kind: "seller", role: "owner" }),
    sales: actorDeps(db, { userId: s.salesUserId, organizationId: s.id, kind: "seller", role: "sales" }),
    fulfilmentUserId: user.id,
  };
}

export interface OfferSpec {
  sellerId: string;
  status?: "submitted" | "revised" | "withdrawn" | "locked";
  leadTimeDays?: number;
  /** Per RFQ line (same index), the quantity offered and the unit price in minor units; null: not offered. */
  lines: ({ quantity: number; unitPriceMinor: number | bigint } | null)[];
}

export interface RfqFixture {
  id: string;
  number: string;
  title: string;
  lineIds: string[];
  /** Offer ids in the order of the specs. */
  offerIds: string[];
}

/**
 * An RFQ written straight in the tables, as the closing job leaves it: status closed (or `status`),
 * deadline passed, the offers final (locked) unless told otherwise.
 */
export async function closedRfq(
  db: Db,
  buyerId: string,
  spec: { lines: number[]; offers: OfferSpec[]; status?: "open" | "closed"; currency?: string; title?: string },
): Promise<RfqFixture> {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const status = spec.status ?? "closed";
  const title = spec.title ?? `Corrugated boxes ${uniqueEmail("t").slice(0, 12)}`;
  const currency = spec.currency ?? "EUR";
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyerId,
      title,
      category_id: category.id,
      currency,
      incoterm: "DAP",
      delivery_place: "Lyon, FR",
      deadline: status === "open" ? sql<Date>`now() + interval '1 day'` : sql<Date>`now() - interval '1 hour'`,
      status,
      published_at: sql<Date>`now() - interval '2 days'`,
      closed_at: status === "closed" ? sql<Date>`now() - interval '1 hour'` : null,
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  const lineIds: string[] = [];
  for (const [position, quantity] of spec.lines.entries()) {
    const line = await db
      .insertInto("rfq_lines")
      .values({ rfq_id: rfq.id, position, description: `Line ${position + 1} box`, quantity, unit: "box" })
      .returning("id")
      .executeTakeFirstOrThrow();
    lineIds.push(line.id);
  }
  const offerIds: string[] = [];
  for (const offer of spec.offers) {
    const total = offer.lines.reduce((t, l) => t + (l ? BigInt(l.unitPriceMinor) * BigInt(l.quantity) : 0n), 0n);
    const row = await db
      .insertInto("offers")
      .values({
        rfq_id: rfq.id,
        seller_id: offer.sellerId,
        status: offer.status ?? (status === "open" ? "submitted" : "locked"),
        currency,
        lead_time_days: offer.leadTimeDays ?? 10,
        valid_until: sql<Date>`now() + interval '30 days'`,
        total_minor: total.toString(),
        submitted_at: sql<Date>`now() - interval '1 day'`,
        updated_at: sql<Date>`now() - interval '1 day'`,
        withdrawn_at: offer.status === "withdrawn" ? sql<Date>`now() - interval '1 day'` : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    offerIds.push(row.id);
    for (const [index, line] of offer.lines.entries()) {
      if (!line) continue;
      await db
        .insertInto("offer_lines")
        .values({ offer_id: row.id, rfq_id: rfq.id, line_id: lineIds[index]!, quantity: line.quantity, unit_price_minor: BigInt(line.unitPriceMinor).toString() })
        .execute();
    }
  }
  return { id: rfq.id, number: rfq.number, title, lineIds, offerIds };
}

/** An approval rule written straight in the table. */
export async function rule(db: Db, rootId: string, spec: { thresholdMinor: number | bigint; currency?: string; branchId?: string | null; approverRole?: "admin" | "approver" }): Promise<string> {
  const row = await db
    .insertInto("approval_rules")
    .values({ buyer_id: rootId, branch_id: spec.branchId ?? null, currency: spec.currency ?? "EUR", threshold_minor: BigInt(spec.thresholdMinor).toString(), approver_role: spec.approverRole ?? "approver" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const TABLES = ["awards", "award_lines", "approvals", "orders", "order_lines", "notifications", "audit_log", "outbox", "approval_rules"] as const;
export type AwardCounts = Record<(typeof TABLES)[number], number>;

/** Row counts of every table an award, a decision or a rule change writes, to show a refused one wrote nothing. */
export async function awardRowCounts(db: Db): Promise<AwardCounts> {
  const counts = {} as AwardCounts;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

/** The in-app notifications of `template` per user (the e-mail goes through the outbox beside each). */
export async function notified(db: Db, template: string): Promise<{ userId: string; organizationId: string; body: string }[]> {
  const rows = await db
    .selectFrom("notifications")
    .select(["user_id", "organization_id", "body"])
    .where("template", "=", template)
    .where("channel", "=", "in_app")
    .execute();
  return rows.map((r) => ({ userId: r.user_id!, organizationId: r.organization_id!, body: r.body }));
}

/** The form a buyer posts for a per-line award: `qty.<lineId>.<offerId>` fields. */
export function linesForm(rfq: RfqFixture, cells: { line: number; offer: number; quantity: number | string }[], note = ""): Record<string, unknown> {
  const form: Record<string, unknown> = { rfqId: rfq.id, mode: "lines", note };
  for (const c of cells) form[`qty.${rfq.lineIds[c.line]}.${rfq.offerIds[c.offer]}`] = String(c.quantity);
  return form;
}
