import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";

export interface SeededSeller {
  organizationId: string;
  ownerUserId: string;
}

export interface SeededRfq {
  id: string;
  buyerId: string;
  lines: { id: string; quantity: number }[];
}

export interface SeededMarket {
  sellers: SeededSeller[];
  rfq: SeededRfq;
}

const BATCH = 500;
const CATEGORY_SLUG = "packaging-boxes";

async function insertBatched<T>(rows: readonly T[], insert: (batch: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * One buyer, `sellers` active seller organisations (each with an owner and a submitted application
 * serving the RFQ's category, which is what lets `sellerMaySeeRfq` show them an open RFQ) and one
 * published, sealed RFQ in EUR with `lines` lines, its deadline an hour away and no anti-sniping.
 * Rows are written directly: the RFQ's publication is not what is measured.
 */
export async function seedMarket(db: Kysely<Database>, size: { sellers: number; lines: number; tag: string }): Promise<SeededMarket> {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", CATEGORY_SLUG).executeTakeFirst();
  if (!category) throw new Error(`category ${CATEGORY_SLUG} is missing: was the database migrated?`);

  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: "Bench Buyer SA", status: "active" }).returning("id").executeTakeFirstOrThrow();
  const purchaser = await db
    .insertInto("users")
    .values({ email: `buyer.${size.tag}@bench.test`, name: "Bench purchaser", password_hash: "not-a-hash" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: buyer.id, user_id: purchaser.id, role: "admin" }).execute();

  const sellers: SeededSeller[] = [];
  const indexes = Array.from({ length: size.sellers }, (_, i) => i);
  await insertBatched(indexes, async (batch) => {
    const orgs = await db
      .insertInto("organizations")
      .values(batch.map((i) => ({ kind: "seller" as const, name: `Bench Seller ${String(i + 1).padStart(4, "0")}`, status: "active" as const })))
      .returning("id")
      .execute();
    const users = await db
      .insertInto("users")
      .values(batch.map((i) => ({ email: `seller${i + 1}.${size.tag}@bench.test`, name: `Owner of seller ${i + 1}`, password_hash: "not-a-hash" })))
      .returning("id")
      .execute();
    await db
      .insertInto("memberships")
      .values(orgs.map((o, k) => ({ organization_id: o.id, user_id: users[k]!.id, role: "owner" })))
      .execute();
    await db
      .insertInto("seller_applications")
      .values(orgs.map((o, k) => ({ organization_id: o.id, legal_name: `Bench Seller ${batch[k]! + 1} SARL`, country: "FR", submitted_at: sql<Date>`now()` })))
      .execute();
    await db
      .insertInto("seller_application_categories")
      .values(orgs.map((o) => ({ organization_id: o.id, category_id: category.id })))
      .execute();
    sellers.push(...orgs.map((o, k) => ({ organizationId: o.id, ownerUserId: users[k]!.id })));
  });

  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyer.id,
      created_by: purchaser.id,
      title: "Corrugated shipping boxes, 2025 volume",
      description: "Benchmark RFQ: many sellers, one deadline.",
      category_id: category.id,
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon, FR",
      deadline: sql<Date>`now() + interval '1 hour'`,
      visibility: "open",
      sealing: "sealed",
      status: "open",
      published_at: sql<Date>`now()`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lines = await db
    .insertInto("rfq_lines")
    .values(
      Array.from({ length: size.lines }, (_, position) => ({
        rfq_id: rfq.id,
        position,
        description: `Box size ${position + 1}, double wall`,
        quantity: 1_000 * (position + 1),
        unit: "piece",
      })),
    )
    .returning(["id", "quantity"])
    .execute();
  return { sellers, rfq: { id: rfq.id, buyerId: buyer.id, lines } };
}
