import type { Faker } from "@faker-js/faker";
import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";
import type { ListingQuery } from "@souk/search";
import { sellerMaySeeRfq } from "@souk/services";
import type { SeededCatalogue } from "../search/catalogue";
import { generateQueries } from "../search/queries";
import { cycle, type Target } from "./load";

/**
 * What the benchmark drives, read back from its database (so that a reused database needs no
 * seed): the buyers and sellers it signs in as, the comparison RFQ, and the material of the varied
 * requests (search queries, listing ids, open RFQs each seller may answer, with their lines).
 */
export interface DriveSet {
  /** One admin per top-level buyer organisation. */
  buyerAdmins: string[];
  /** Owners of active sellers the bench added. */
  sellerOwners: string[];
  comparison: { rfqId: string; adminEmail: string; offers: number; lines: number };
  catalogue: SeededCatalogue;
}

export async function readDriveSet(db: Kysely<Database>, options: { sellerSessions: number }): Promise<DriveSet> {
  const buyers = await db
    .selectFrom("organizations as o")
    .select((eb) => [
      "o.id",
      eb
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select("u.email")
        .whereRef("m.organization_id", "=", "o.id")
        .where("m.role", "=", "admin")
        .orderBy("u.email")
        .limit(1)
        .as("email"),
    ])
    .where("o.kind", "=", "buyer")
    .where("o.parent_id", "is", null)
    .orderBy("o.created_at")
    .execute();
  const sellers = await db
    .selectFrom("users as u")
    .innerJoin("memberships as m", "m.user_id", "u.id")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select("u.email")
    .where("u.email", "like", "owner@seller%.bench.test")
    .where("o.status", "=", "active")
    .orderBy("u.email")
    .limit(options.sellerSessions)
    .execute();
  const comparison = await db
    .selectFrom("rfqs as r")
    .innerJoin("offers as o", "o.rfq_id", "r.id")
    .select(["r.id", "r.buyer_id", (eb) => eb.fn.countAll<string>().as("offers")])
    .select((eb) => eb.selectFrom("rfq_lines as l").select((x) => x.fn.countAll<string>().as("n")).whereRef("l.rfq_id", "=", "r.id").as("lines"))
    .where("r.status", "=", "closed")
    .groupBy("r.id")
    .orderBy("offers", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!comparison) throw new Error("no closed RFQ with offers: the data set is incomplete (run without BENCH_HTTP_REUSE)");
  const comparisonAdmin = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("u.email")
    .where("m.organization_id", "=", comparison.buyer_id)
    .where("m.role", "=", "admin")
    .orderBy("u.email")
    .executeTakeFirstOrThrow();

  // The search queries' material, as the search benchmark's generator takes it.
  const categories = (await db.selectFrom("categories").select(["id", "slug", "parent_id"]).orderBy("position").orderBy("slug").execute()).map((c) => ({ id: c.id, slug: c.slug, parentId: c.parent_id }));
  const sellerIds = (await db.selectFrom("organizations").select("id").where("kind", "=", "seller").where("status", "=", "active").orderBy("id").execute()).map((r) => r.id);
  const groupIds = (await db.selectFrom("customer_groups").select("id").orderBy("id").execute()).map((r) => r.id);
  // uuid order is a random sample.
  const sampleTitles = (await db.selectFrom("search_listings").select("title").orderBy("id").limit(10_000).execute()).map((r) => r.title);
  const listings = Number((await db.selectFrom("listings").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

  return {
    buyerAdmins: buyers.map((b) => b.email).filter((e): e is string => typeof e === "string"),
    sellerOwners: sellers.map((s) => s.email),
    comparison: { rfqId: comparison.id, adminEmail: comparisonAdmin.email, offers: Number(comparison.offers), lines: Number(comparison.lines ?? 0) },
    catalogue: { sellerIds, groupIds, categories, listings, sampleTitles },
  };
}

/** A search as the buyer's catalogue page takes it in its URL (see searchCatalogueSchema). */
export function catalogueUrl(query: ListingQuery, withFilters: boolean): string {
  const params = new URLSearchParams();
  if (query.text) params.set("q", query.text);
  const f = query.filters ?? {};
  if (withFilters) {
    if (f.categoryId) params.set("category", f.categoryId);
    if (f.sellerId) params.set("seller", f.sellerId);
    if (f.priceBand) params.set("priceBand", f.priceBand);
    if (f.maxMinOrderQuantity !== undefined) params.set("maxMoq", String(f.maxMinOrderQuantity));
    if (f.maxLeadTimeDays !== undefined) params.set("maxLeadTime", String(f.maxLeadTimeDays));
    if (f.inStock) params.set("inStock", "1");
  }
  if (query.sort && query.sort !== "relevance") params.set("sort", query.sort);
  return `/catalogue?${params.toString()}`;
}

export interface Sessions {
  buyers: string[];
  comparisonBuyer: string;
  /** Seller owner e-mail → session cookie. */
  sellers: Map<string, string>;
}

export interface OfferPair {
  cookie: string;
  rfqId: string;
  currency: string;
  deadline: Date;
  lines: { id: string; quantity: number }[];
}

/** Open RFQs each signed-in seller may answer (the services' own visibility rule), deadline at least a day away. */
export async function offerPairs(db: Kysely<Database>, sessions: Sessions, perSeller: number): Promise<OfferPair[]> {
  const pairs: OfferPair[] = [];
  for (const [email, cookie] of sessions.sellers) {
    const seller = await db
      .selectFrom("users as u")
      .innerJoin("memberships as m", "m.user_id", "u.id")
      .select("m.organization_id")
      .where("u.email", "=", email)
      .executeTakeFirstOrThrow();
    const rfqs = await db
      .selectFrom("rfqs as r")
      .select(["r.id", "r.currency", "r.deadline"])
      .where("r.status", "=", "open")
      .where("r.deadline", ">", sql<Date>`now() + interval '1 day'`)
      .where(sellerMaySeeRfq(seller.organization_id))
      .orderBy("r.id")
      .limit(perSeller)
      .execute();
    if (rfqs.length === 0) continue;
    const lines = await db
      .selectFrom("rfq_lines")
      .select(["id", "rfq_id", "quantity"])
      .where(
        "rfq_id",
        "in",
        rfqs.map((r) => r.id),
      )
      .orderBy("position")
      .execute();
    for (const r of rfqs) pairs.push({ cookie, rfqId: r.id, currency: r.currency, deadline: new Date(r.deadline as Date), lines: lines.filter((l) => l.rfq_id === r.id) });
  }
  return pairs;
}

/** The offer form a seller posts (the fields of the seller's RFQ page): every line priced, fresh prices each time. */
export function offerForm(pair: OfferPair, faker: Faker): string {
  const form = new URLSearchParams({ intent: "save" });
  pair.lines.forEach((line, i) => {
    form.set(`lines.${i}.lineId`, line.id);
    form.set(`lines.${i}.unitPrice`, (faker.number.int({ min: 50, max: 50_000 }) / 100).toFixed(2));
    form.set(`lines.${i}.quantity`, String(line.quantity));
  });
  form.set("leadTimeDays", String(faker.number.int({ min: 1, max: 60 })));
  const valid = new Date(pair.deadline.getTime() + 30 * 86_400_000);
  form.set("validUntil", valid.toISOString().slice(0, 10));
  form.set("notes", faker.datatype.boolean(0.3) ? faker.company.catchPhrase() : "");
  return form.toString();
}

export interface TargetUrls {
  buyer: string;
  seller: string;
  baseline: string;
}

export async function buildTargets(db: Kysely<Database>, faker: Faker, drive: DriveSet, sessions: Sessions, urls: TargetUrls): Promise<Target[]> {
  const queries = generateQueries(faker, drive.catalogue, 500).map((q, i) => catalogueUrl(q, i % 2 === 0));
  const listingIds = (
    await db
      .selectFrom("search_listings")
      .select("id")
      .where("visible_to_everyone", "=", true)
      .orderBy(sql`md5(id || ${String(faker.number.int())})`)
      .limit(2_000)
      .execute()
  ).map((r) => r.id);
  // Shuffled, so that concurrent requests go to different RFQs (and sellers) rather than queue on one RFQ's lock.
  const pairs = faker.helpers.shuffle(await offerPairs(db, sessions, 20));
  if (pairs.length === 0) throw new Error("no open RFQ that a signed-in seller may answer");

  const buyerCookie = cycle(sessions.buyers);
  const sellerCookie = cycle([...sessions.sellers.values()]);
  const nextQuery = cycle(queries);
  const nextListing = cycle(listingIds);
  const nextPair = cycle(pairs);
  const inboxViews = cycle(["/rfqs", "/rfqs", "/rfqs?sort=closing", "/rfqs?page=2"]);

  return [
    { key: "baseline", label: "node:http hello world (baseline)", url: urls.baseline, okStatuses: [200], next: () => ({ path: "/" }) },
    {
      key: "search",
      label: "buyer: catalogue search",
      url: urls.buyer,
      okStatuses: [200],
      next: () => ({ path: nextQuery(), headers: { Cookie: buyerCookie() } }),
    },
    {
      key: "listing",
      label: "buyer: listing page",
      url: urls.buyer,
      okStatuses: [200],
      next: () => ({ path: `/catalogue/${nextListing()}`, headers: { Cookie: buyerCookie() } }),
    },
    {
      key: "comparison",
      label: `buyer: RFQ comparison (${drive.comparison.offers} offers × ${drive.comparison.lines} lines)`,
      url: urls.buyer,
      okStatuses: [200],
      next: () => ({ path: `/rfqs/${drive.comparison.rfqId}/compare`, headers: { Cookie: sessions.comparisonBuyer } }),
    },
    {
      key: "inbox",
      label: "seller: RFQ inbox",
      url: urls.seller,
      okStatuses: [200],
      next: () => ({ path: inboxViews(), headers: { Cookie: sellerCookie() } }),
    },
    {
      key: "offer",
      label: "seller: submit / revise an offer (POST)",
      url: urls.seller,
      // The action answers a saved offer with a redirect to its receipt; a refused one with the form (4xx).
      okStatuses: [302, 303],
      checkResponse: (_status, headers) => /\?receipt=\d+/.test(headers.location ?? ""),
      next: () => {
        const pair = nextPair();
        return {
          method: "POST",
          path: `/rfqs/${pair.rfqId}`,
          headers: { Cookie: pair.cookie, Origin: urls.seller, "Content-Type": "application/x-www-form-urlencoded" },
          body: offerForm(pair, faker),
        };
      },
    },
  ];
}
