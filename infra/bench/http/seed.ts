import { randomUUID } from "node:crypto";
import type { Faker } from "@faker-js/faker";
import { sql, type Insertable, type Kysely } from "kysely";
import type { Database } from "@souk/db";
import type { ListingIndex } from "@souk/search";
import { buildListingDocuments, canonicalJson, receiptHash } from "@souk/services";
import { PRODUCTS, seedCatalogue, type SeededCatalogue } from "../search/catalogue";
import type { BenchHttpConfig } from "../src/env";

/**
 * The demo data (`pnpm db:seed`, run before this) scaled up to the benchmark's size with bulk
 * multi-row inserts: buyer organisations with an admin and a purchaser, seller organisations with
 * an owner, a submitted and approved application and the categories they serve, the catalogue of
 * the search benchmark (its generator) with every searchable listing indexed through the port,
 * RFQs (open, closed, a few drafts) with their lines and invitations, and offers with their lines
 * and receipts, each RFQ's receipts a valid hash chain ending at its head (the contract of
 * receipts.ts). Rows have the shapes the services write; the many writes are simply batched.
 */

const BATCH = 1_000;
const INDEX_BATCH = 1_000;
const DAY_MS = 86_400_000;

export interface HttpDataSet {
  /** Top-level buyer organisations and the admin each is signed in as. */
  buyers: { id: string; name: string; adminEmail: string }[];
  /** Active sellers the bench added, with their owner's e-mail (what the seller pages are driven as). */
  sellers: { id: string; ownerEmail: string }[];
  /** The closed RFQ with `comparisonOffers` offers, and its buyer's admin. */
  comparison: { rfqId: string; buyerAdminEmail: string; offers: number };
  /** For the search queries. */
  catalogue: SeededCatalogue;
  counts: DataSetCounts;
}

export interface DataSetCounts {
  buyers: number;
  sellers: number;
  listings: number;
  searchDocuments: number;
  rfqs: number;
  openRfqs: number;
  offers: number;
  receipts: number;
}

/** How far the demo is scaled up: the sizes of the bench's settings. */
export type ScaleSize = Pick<BenchHttpConfig, "buyers" | "sellers" | "listings" | "rfqs" | "offers" | "comparisonOffers">;

async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>, size = BATCH): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function count(db: Kysely<Database>, query: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`${sql.raw(query)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

const pad = (n: number, width = 3) => String(n).padStart(width, "0");

/** Adds buyers, sellers, listings, RFQs and offers on top of the demo data until the sizes are reached. */
export async function scaleUp(db: Kysely<Database>, faker: Faker, index: ListingIndex, size: ScaleSize, log: (label: string, value: string) => void): Promise<HttpDataSet> {
  // Every account the bench adds signs in with the demo password: its hash, taken from a demo user.
  const demoUser = await db.selectFrom("users").select("password_hash").where("email", "=", "admin@atlas.test").executeTakeFirst();
  if (!demoUser) throw new Error("the demo data is missing (admin@atlas.test): did the demo seed run?");
  const passwordHash = demoUser.password_hash;
  const operatorAdmin = await db.selectFrom("users").select("id").where("email", "=", "ops.admin@souk.test").executeTakeFirstOrThrow();

  // ---- Buyers: each with an admin (compares and awards) and a purchaser.
  let started = performance.now();
  const demoBuyers = await db
    .selectFrom("organizations as o")
    .innerJoin("memberships as m", "m.organization_id", "o.id")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["o.id", "o.name", "u.email"])
    .where("o.kind", "=", "buyer")
    .where("o.parent_id", "is", null)
    .where("m.role", "=", "admin")
    .orderBy("o.created_at")
    .execute();
  const buyers = demoBuyers.map((b) => ({ id: b.id, name: b.name, adminEmail: b.email }));
  const buyerUsers = new Map<string, string>();
  const newBuyers = Array.from({ length: Math.max(0, size.buyers - buyers.length) }, (_, i) => ({
    n: buyers.length + i + 1,
    name: `${faker.company.name()} ${faker.helpers.arrayElement(["Industrie", "Hôtels", "Logistique", "Group", "Retail", "Facilities"])}`.slice(0, 200),
  }));
  if (newBuyers.length > 0) {
    const orgs = await db
      .insertInto("organizations")
      .values(newBuyers.map((b) => ({ kind: "buyer" as const, name: b.name, status: "active" as const })))
      .returning(["id", "name"])
      .execute();
    const people = orgs.flatMap((org, i) =>
      (["admin", "purchaser"] as const).map((role) => ({ org, role, email: `${role}@buyer${pad(newBuyers[i]!.n)}.bench.test`, name: faker.person.fullName() })),
    );
    const users = await db
      .insertInto("users")
      .values(people.map((p) => ({ email: p.email, name: p.name, password_hash: passwordHash })))
      .returning(["id", "email"])
      .execute();
    await db
      .insertInto("memberships")
      .values(people.map((p, i) => ({ organization_id: p.org.id, user_id: users[i]!.id, role: p.role })))
      .execute();
    for (const [i, org] of orgs.entries()) buyers.push({ id: org.id, name: org.name, adminEmail: people[i * 2]!.email });
    for (const [i, p] of people.entries()) if (p.role === "admin") buyerUsers.set(p.org.id, users[i]!.id);
  }
  for (const b of demoBuyers) {
    const user = await db.selectFrom("users").select("id").where("email", "=", b.email).executeTakeFirstOrThrow();
    buyerUsers.set(b.id, user.id);
  }
  log("buyers", `${buyers.length} (${newBuyers.length} added) in ${seconds(started)}`);

  // ---- Sellers and the catalogue: the search benchmark's generator (sellers, customer groups, listings).
  started = performance.now();
  const existingSellers = await count(db, "select count(*) as n from organizations where kind = 'seller'");
  const existingListings = await count(db, "select count(*) as n from listings");
  const catalogue = await seedCatalogue(db, faker, { sellers: Math.max(0, size.sellers - existingSellers), listings: Math.max(0, size.listings - existingListings) });
  log("sellers and listings", `${catalogue.sellerIds.length} sellers, ${catalogue.listings.toLocaleString("en")} listings added in ${seconds(started)}`);

  // Each added seller: an owner, a submitted application serving three leaf categories, its approval.
  started = performance.now();
  const leaves = catalogue.categories.filter((c) => PRODUCTS[c.slug]);
  const sellerRows = await db.selectFrom("organizations").select(["id", "name", "status"]).where("id", "in", catalogue.sellerIds.length > 0 ? catalogue.sellerIds : [randomUUID()]).execute();
  const sellerOrder = new Map(catalogue.sellerIds.map((id, i) => [id, i]));
  sellerRows.sort((a, b) => sellerOrder.get(a.id)! - sellerOrder.get(b.id)!);
  const owners = sellerRows.map((s, i) => ({ seller: s, email: `owner@seller${pad(i + 1)}.bench.test`, name: faker.person.fullName() }));
  const servedBy = new Map<string, string[]>(); // leaf category id → seller ids
  const sellers: HttpDataSet["sellers"] = [];
  const ownerIds = new Map<string, string>();
  await inBatches(owners, async (batch) => {
    const users = await db
      .insertInto("users")
      .values(batch.map((o) => ({ email: o.email, name: o.name, password_hash: passwordHash })))
      .returning("id")
      .execute();
    await db
      .insertInto("memberships")
      .values(batch.map((o, i) => ({ organization_id: o.seller.id, user_id: users[i]!.id, role: "owner" })))
      .execute();
    await db
      .insertInto("seller_applications")
      .values(
        batch.map((o) => ({
          organization_id: o.seller.id,
          legal_name: `${o.seller.name} SARL`.slice(0, 200),
          trading_name: o.seller.name,
          country: faker.helpers.arrayElement(["FR", "MA", "SN", "BE", "ES", "DE"]),
          company_number: faker.string.numeric(9),
          address_line1: faker.location.streetAddress(),
          postal_code: faker.location.zipCode("#####"),
          city: faker.location.city(),
          contact_name: o.name,
          contact_email: o.email,
          contact_phone: faker.phone.number({ style: "international" }),
          description: faker.company.catchPhrase(),
          submitted_at: sql<Date>`now() - interval '90 days'`,
        })),
      )
      .execute();
    const served = batch.flatMap((o) => faker.helpers.arrayElements(leaves, 3).map((c) => ({ organization_id: o.seller.id, category_id: c.id })));
    await db.insertInto("seller_application_categories").values(served).execute();
    for (const s of served) servedBy.set(s.category_id, [...(servedBy.get(s.category_id) ?? []), s.organization_id]);
    await db
      .insertInto("seller_decisions")
      .values(
        batch.flatMap((o) => [
          { organization_id: o.seller.id, move: "submit", from_status: "pending", to_status: "pending", actor_user_id: null, actor_organization_id: o.seller.id },
          { organization_id: o.seller.id, move: "approve", from_status: "pending", to_status: "active", actor_user_id: operatorAdmin.id, actor_organization_id: null },
        ]),
      )
      .execute();
    for (const [i, o] of batch.entries()) {
      ownerIds.set(o.seller.id, users[i]!.id);
      if (o.seller.status === "active") sellers.push({ id: o.seller.id, ownerEmail: o.email });
    }
  });
  log("seller accounts", `${owners.length} owners, applications and approvals in ${seconds(started)}`);

  // ---- The search index, through the port (what the worker's sync and reindex write).
  started = performance.now();
  let searchDocuments = 0;
  for (let afterId: string | null = null; ; ) {
    const batch = await buildListingDocuments(db, { afterId, limit: INDEX_BATCH });
    await index.upsert(batch.docs);
    searchDocuments += batch.docs.length;
    afterId = batch.nextAfterId;
    if (afterId === null) break;
  }
  log("search index", `${searchDocuments.toLocaleString("en")} documents in ${seconds(started)}`);

  // ---- RFQs and offers.
  started = performance.now();
  const activeSellers = new Set(sellers.map((s) => s.id));
  const rfqs = await seedRfqs(db, faker, {
    buyers,
    buyerUsers,
    leaves,
    servedBy: new Map([...servedBy].map(([category, ids]) => [category, ids.filter((id) => activeSellers.has(id))])),
    sellers,
    ownerIds,
    size,
  });
  log("RFQs and offers", `${rfqs.addedRfqs.toLocaleString("en")} RFQs, ${rfqs.addedOffers.toLocaleString("en")} offers, ${rfqs.addedReceipts.toLocaleString("en")} receipts added in ${seconds(started)}`);

  started = performance.now();
  // What autovacuum would have done by now on a live database: planner statistics.
  await sql`analyze`.execute(db);
  log("analyze", seconds(started));

  return {
    buyers,
    sellers,
    comparison: rfqs.comparison,
    catalogue,
    counts: await countDataSet(db),
  };
}

export async function countDataSet(db: Kysely<Database>): Promise<DataSetCounts> {
  const { rows } = await sql<Record<keyof DataSetCounts, string>>`
    select
      (select count(*) from organizations where kind = 'buyer' and parent_id is null) as buyers,
      (select count(*) from organizations where kind = 'seller') as sellers,
      (select count(*) from listings) as listings,
      (select count(*) from search_listings) as "searchDocuments",
      (select count(*) from rfqs) as rfqs,
      (select count(*) from rfqs where status = 'open' and deadline > now()) as "openRfqs",
      (select count(*) from offers) as offers,
      (select count(*) from offer_revisions) as receipts`.execute(db);
  const row = rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as DataSetCounts;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

interface RfqPlan {
  id: string;
  buyerId: string;
  createdBy: string;
  categoryId: string;
  currency: string;
  status: "open" | "closed" | "draft";
  sealing: "sealed" | "open";
  visibility: "open" | "invited";
  publishedAt: Date | null;
  deadline: Date;
  lines: { id: string; position: number; description: string; quantity: number; unit: string; targetPriceMinor: number | null; basePriceMinor: number }[];
  invited: string[];
  /** Sellers that may see it (invited, or serving its category). */
  eligible: string[];
  offerers: Set<string>;
}

interface OfferPlan {
  id: string;
  rfq: RfqPlan;
  sellerId: string;
  ownerId: string;
  leadTimeDays: number;
  validUntil: Date;
  notes: string;
  /** One entry per revision (1, then 2 when revised), each with its lines and recording time. */
  revisions: { at: Date; lines: { lineId: string; quantity: number; unitPriceMinor: number }[] }[];
}

const INCOTERMS = ["EXW", "FCA", "DAP", "DDP", "CPT", "FOB"] as const;
const UNITS = ["piece", "box", "pack", "roll", "pair", "kg", "m"] as const;

async function seedRfqs(
  db: Kysely<Database>,
  faker: Faker,
  input: {
    buyers: HttpDataSet["buyers"];
    buyerUsers: Map<string, string>;
    leaves: SeededCatalogue["categories"];
    servedBy: Map<string, string[]>;
    sellers: HttpDataSet["sellers"];
    ownerIds: Map<string, string>;
    size: ScaleSize;
  },
): Promise<{ addedRfqs: number; addedOffers: number; addedReceipts: number; comparison: HttpDataSet["comparison"] }> {
  const { buyers, buyerUsers, leaves, servedBy, sellers, ownerIds, size } = input;
  if (sellers.length === 0) throw new Error("no active seller was added: raise BENCH_HTTP_SELLERS above the demo's sellers");
  const { rows: clock } = await sql<{ now: Date }>`select now() as now`.execute(db);
  const now = clock[0]!.now.getTime();
  const existingRfqs = await count(db, "select count(*) as n from rfqs");
  const existingOffers = await count(db, "select count(*) as n from offers");
  const slugOf = new Map(leaves.map((c) => [c.id, c.slug]));

  const planLines = (categoryId: string) => {
    const nouns = PRODUCTS[slugOf.get(categoryId) ?? ""] ?? ["item"];
    return Array.from({ length: faker.number.int({ min: 1, max: 5 }) }, (_, position) => {
      // Log-uniform unit prices from 0.50 to 500.00, as in the catalogue.
      const basePriceMinor = Math.round(50 * 1_000 ** faker.number.float({ min: 0, max: 1 }));
      return {
        id: randomUUID(),
        position,
        description: `${faker.helpers.arrayElement(nouns)}, ${faker.commerce.productAdjective().toLowerCase()} ${faker.commerce.productMaterial().toLowerCase()}`.slice(0, 500),
        quantity: faker.helpers.arrayElement([10, 50, 100, 250, 500, 1_000, 2_500, 5_000]),
        unit: faker.helpers.arrayElement(UNITS),
        targetPriceMinor: faker.datatype.boolean(0.4) ? Math.round(basePriceMinor * 0.9) : null,
        basePriceMinor,
      };
    });
  };

  const plans: RfqPlan[] = [];
  // The comparison page's RFQ: a closed, sealed tender of the first added buyer, with many invited sellers.
  const comparisonBuyer = buyers[buyers.length > 2 ? 2 : 0]!;
  const comparisonOffers = Math.min(size.comparisonOffers, sellers.length);
  const comparisonCategory = faker.helpers.arrayElement(leaves).id;
  const comparisonSellers = faker.helpers.arrayElements(sellers, comparisonOffers).map((s) => s.id);
  plans.push({
    id: randomUUID(),
    buyerId: comparisonBuyer.id,
    createdBy: buyerUsers.get(comparisonBuyer.id)!,
    categoryId: comparisonCategory,
    currency: "EUR",
    status: "closed",
    sealing: "sealed",
    visibility: "invited",
    publishedAt: new Date(now - 16 * DAY_MS),
    deadline: new Date(now - 2 * DAY_MS),
    lines: planLines(comparisonCategory).concat(planLines(comparisonCategory)).slice(0, 4).map((l, position) => ({ ...l, position })),
    invited: comparisonSellers,
    eligible: comparisonSellers,
    offerers: new Set(),
  });

  for (let i = plans.length; i < size.rfqs - existingRfqs; i += 1) {
    const buyer = faker.helpers.arrayElement(buyers);
    const categoryId = faker.helpers.arrayElement(leaves).id;
    const status = faker.helpers.weightedArrayElement([
      { weight: 65, value: "open" as const },
      { weight: 30, value: "closed" as const },
      { weight: 5, value: "draft" as const },
    ]);
    const serving = servedBy.get(categoryId) ?? [];
    const invitedOnly = faker.datatype.boolean(0.1);
    // Invited tenders ask sellers of the category and a few others.
    const invited = invitedOnly ? faker.helpers.arrayElements([...new Set([...faker.helpers.arrayElements(serving, { min: 0, max: 8 }), ...faker.helpers.arrayElements(sellers, 4).map((s) => s.id)])], { min: 3, max: 12 }) : [];
    const deadline =
      status === "closed" ? new Date(now - faker.number.int({ min: 1, max: 60 }) * DAY_MS - faker.number.int({ min: 0, max: DAY_MS })) : new Date(now + faker.number.int({ min: 2 * DAY_MS, max: 30 * DAY_MS }));
    const publishedAt = status === "draft" ? null : new Date(Math.min(now - 60_000, deadline.getTime() - faker.number.int({ min: 7, max: 21 }) * DAY_MS));
    plans.push({
      id: randomUUID(),
      buyerId: buyer.id,
      createdBy: buyerUsers.get(buyer.id)!,
      categoryId,
      currency: faker.helpers.weightedArrayElement([
        { weight: 85, value: "EUR" },
        { weight: 10, value: "USD" },
        { weight: 5, value: "GBP" },
      ]),
      status,
      sealing: faker.datatype.boolean(0.8) ? "sealed" : "open",
      visibility: invitedOnly ? "invited" : "open",
      publishedAt,
      deadline,
      lines: planLines(categoryId),
      invited,
      eligible: invitedOnly ? invited : serving,
      offerers: new Set(),
    });
  }

  // Offers: the comparison RFQ's, then the rest spread at random over the published RFQs.
  const offers: OfferPlan[] = [];
  const planOffer = (rfq: RfqPlan, sellerId: string) => {
    rfq.offerers.add(sellerId);
    const published = rfq.publishedAt!.getTime();
    const until = Math.min(rfq.deadline.getTime(), now) - 1_000;
    const revisions = faker.datatype.boolean(0.25) ? 2 : 1;
    const times = Array.from({ length: revisions }, () => faker.number.int({ min: published + 1_000, max: Math.max(published + 2_000, until) })).sort((a, b) => a - b);
    const offered = rfq.lines.filter((_, i) => i === 0 || faker.datatype.boolean(0.9));
    const validDay = new Date(rfq.deadline.getTime() + faker.number.int({ min: 14, max: 90 }) * DAY_MS);
    offers.push({
      id: randomUUID(),
      rfq,
      sellerId,
      ownerId: ownerIds.get(sellerId)!,
      leadTimeDays: faker.number.int({ min: 1, max: 60 }),
      // A day, valid through its last millisecond in UTC (parseValidUntil).
      validUntil: new Date(Date.UTC(validDay.getUTCFullYear(), validDay.getUTCMonth(), validDay.getUTCDate()) + DAY_MS - 1),
      notes: faker.datatype.boolean(0.3) ? faker.company.catchPhrase() : "",
      revisions: times.map((t, r) => ({
        at: new Date(t),
        lines: offered.map((l) => ({
          lineId: l.id,
          quantity: faker.datatype.boolean(0.9) ? l.quantity : Math.max(1, Math.floor(l.quantity / 2)),
          // A revision lowers the price a little.
          unitPriceMinor: Math.max(1, Math.round(l.basePriceMinor * faker.number.float({ min: 0.8, max: 1.25 }) * (r === 0 && revisions === 2 ? 1.05 : 1))),
        })),
      })),
    });
  };
  for (const sellerId of plans[0]!.eligible) planOffer(plans[0]!, sellerId);
  const published = plans.filter((p) => p.status !== "draft" && p.eligible.length > 0).slice(1);
  const budget = Math.max(0, size.offers - existingOffers - offers.length);
  for (let planned = 0, attempts = 0; planned < budget && attempts < budget * 20; attempts += 1) {
    const rfq = faker.helpers.arrayElement(published);
    if (rfq.offerers.size >= rfq.eligible.length) continue;
    const sellerId = faker.helpers.arrayElement(rfq.eligible);
    if (rfq.offerers.has(sellerId)) continue;
    planOffer(rfq, sellerId);
    planned += 1;
  }

  // Rows, in dependency order.
  await inBatches(
    plans,
    (batch) =>
      db
        .insertInto("rfqs")
        .values(
          batch.map((p) => ({
            id: p.id,
            buyer_id: p.buyerId,
            created_by: p.createdBy,
            title: `${capitalise(p.lines[0]!.description.split(",")[0]!)} — ${faker.helpers.arrayElement(["annual supply", "Q3 volume", "site refit", "framework agreement", "spot purchase", "2027 tender"])}`.slice(0, 200),
            description: faker.lorem.paragraph().slice(0, 5_000),
            category_id: p.categoryId,
            currency: p.currency,
            incoterm: faker.helpers.arrayElement(INCOTERMS),
            delivery_place: `${faker.location.streetAddress()}, ${faker.location.city()}`.slice(0, 200),
            deadline: p.deadline,
            visibility: p.visibility,
            sealing: p.sealing,
            status: p.status,
            published_at: p.publishedAt,
            closed_at: p.status === "closed" ? p.deadline : null,
            created_at: new Date((p.publishedAt ?? new Date(now)).getTime() - DAY_MS),
            updated_at: new Date((p.publishedAt ?? new Date(now)).getTime() - DAY_MS),
          })),
        )
        .execute(),
    500,
  );
  await inBatches(
    plans.flatMap((p) => p.lines.map((l) => ({ id: l.id, rfq_id: p.id, position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, target_price_minor: l.targetPriceMinor === null ? null : String(l.targetPriceMinor) }))),
    (batch) => db.insertInto("rfq_lines").values(batch).execute(),
  );
  await inBatches(
    plans.flatMap((p) => p.invited.map((sellerId) => ({ rfq_id: p.id, seller_id: sellerId, invited_at: p.publishedAt ?? new Date(now) }))),
    (batch) => db.insertInto("rfq_invitations").values(batch).execute(),
  );

  const lastOf = (o: OfferPlan) => o.revisions[o.revisions.length - 1]!;
  await inBatches(offers, (batch) =>
    db
      .insertInto("offers")
      .values(
        batch.map((o) => {
          const last = lastOf(o);
          const revision = o.revisions.length;
          return {
            id: o.id,
            rfq_id: o.rfq.id,
            seller_id: o.sellerId,
            // A close locks every live offer.
            status: o.rfq.status === "closed" ? ("locked" as const) : revision > 1 ? ("revised" as const) : ("submitted" as const),
            revision,
            currency: o.rfq.currency,
            lead_time_days: o.leadTimeDays,
            valid_until: o.validUntil,
            notes: o.notes,
            total_minor: String(last.lines.reduce((sum, l) => sum + BigInt(l.quantity) * BigInt(l.unitPriceMinor), 0n)),
            submitted_by: o.ownerId,
            submitted_at: o.revisions[0]!.at,
            updated_at: last.at,
          };
        }),
      )
      .execute(),
  );
  await inBatches(
    offers.flatMap((o) => lastOf(o).lines.map((l) => ({ offer_id: o.id, rfq_id: o.rfq.id, line_id: l.lineId, unit_price_minor: String(l.unitPriceMinor), quantity: l.quantity }))),
    (batch) => db.insertInto("offer_lines").values(batch).execute(),
  );

  // Receipts: per RFQ, every revision in time order, chained (receipts.ts: sha256 over the previous
  // hash, the canonical content and the recording instant).
  const byRfq = new Map<string, { offer: OfferPlan; revision: number }[]>();
  for (const o of offers) for (const [r] of o.revisions.entries()) byRfq.set(o.rfq.id, [...(byRfq.get(o.rfq.id) ?? []), { offer: o, revision: r + 1 }]);
  const receipts: Insertable<Database["offer_revisions"]>[] = [];
  const heads: { id: string; head: string; length: number; verifiedAt: Date | null }[] = [];
  for (const plan of plans) {
    const events = (byRfq.get(plan.id) ?? []).sort((a, b) => a.offer.revisions[a.revision - 1]!.at.getTime() - b.offer.revisions[b.revision - 1]!.at.getTime());
    let previous: string | null = null;
    for (const [i, { offer, revision }] of events.entries()) {
      const { at, lines } = offer.revisions[revision - 1]!;
      const kind = revision === 1 ? "submitted" : "revised";
      const content = canonicalJson({
        rfqId: plan.id,
        offerId: offer.id,
        sellerId: offer.sellerId,
        revision,
        kind,
        currency: plan.currency,
        leadTimeDays: offer.leadTimeDays,
        validUntil: offer.validUntil.toISOString(),
        notes: offer.notes,
        lines: lines
          .map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPriceMinor: String(l.unitPriceMinor) }))
          .sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0)),
      });
      const hash = receiptHash(previous, content, at);
      receipts.push({
        id: randomUUID(),
        rfq_id: plan.id,
        offer_id: offer.id,
        seller_id: offer.sellerId,
        revision,
        kind,
        sequence: i + 1,
        content,
        recorded_at: at,
        previous_hash: previous,
        hash,
        recorded_by: offer.ownerId,
      });
      previous = hash;
    }
    if (previous !== null) heads.push({ id: plan.id, head: previous, length: events.length, verifiedAt: plan.status === "closed" ? plan.deadline : null });
  }
  await inBatches(receipts, (batch) => db.insertInto("offer_revisions").values(batch).execute());
  await inBatches(heads, (batch) =>
    sql`
      update rfqs set chain_head = v.head, chain_length = v.length::int, chain_verified_at = v.verified_at::timestamptz
      from (values ${sql.join(batch.map((h) => sql`(${h.id}::uuid, ${h.head}, ${h.length}, ${h.verifiedAt})`))}) as v(id, head, length, verified_at)
      where rfqs.id = v.id`.execute(db),
  );

  return {
    addedRfqs: plans.length,
    addedOffers: offers.length,
    addedReceipts: receipts.length,
    comparison: { rfqId: plans[0]!.id, buyerAdminEmail: comparisonBuyer.adminEmail, offers: comparisonOffers },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
