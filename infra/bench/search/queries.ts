import type { Faker } from "@faker-js/faker";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "@souk/db";
import { FACET_NAMES, LEAD_TIME_BANDS, MIN_ORDER_BANDS, PRICE_BANDS, type FacetName, type ListingFilters, type ListingQuery } from "@souk/search";
import type { SeededCatalogue } from "./catalogue";

type FilterName = keyof ListingFilters;
const FILTERS: readonly FilterName[] = ["categoryId", "sellerId", "priceBand", "maxMinOrderQuantity", "maxLeadTimeDays", "inStock"];

/** A letter replaced: what a hurried buyer types. */
function misspell(faker: Faker, word: string): string {
  const at = faker.number.int({ min: 1, max: word.length - 2 });
  return `${word.slice(0, at)}${faker.string.alpha({ length: 1, casing: "lower" })}${word.slice(at + 1)}`;
}

/**
 * The benchmark's mixed queries: each has text (one or two words of an existing title; some
 * misspelt, some cut to a prefix), two filters and three facets, a buyer with zero to two customer
 * groups, mostly relevance order, the first page of 20.
 */
export function generateQueries(faker: Faker, catalogue: SeededCatalogue, count: number): ListingQuery[] {
  return Array.from({ length: count }, () => {
    const words = (faker.helpers.arrayElement(catalogue.sampleTitles).toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 4);
    const text = faker.helpers
      .arrayElements(words, { min: 1, max: Math.min(2, words.length) })
      .map((word) =>
        faker.helpers.weightedArrayElement([
          { weight: 75, value: () => word },
          { weight: 15, value: () => (word.length >= 5 ? misspell(faker, word) : word) },
          { weight: 10, value: () => word.slice(0, 4) },
        ])(),
      )
      .join(" ");
    const filters: ListingFilters = {};
    for (const name of faker.helpers.arrayElements(FILTERS, 2)) {
      if (name === "categoryId") filters.categoryId = faker.helpers.arrayElement(catalogue.categories).id;
      else if (name === "sellerId") filters.sellerId = faker.helpers.arrayElement(catalogue.sellerIds);
      else if (name === "priceBand") filters.priceBand = faker.helpers.arrayElement(PRICE_BANDS).key;
      else if (name === "maxMinOrderQuantity") filters.maxMinOrderQuantity = faker.helpers.arrayElement([1, 10, 100, 1_000]);
      else if (name === "maxLeadTimeDays") filters.maxLeadTimeDays = faker.helpers.arrayElement([2, 7, 14, 30]);
      else filters.inStock = true;
    }
    return {
      text,
      filters,
      facets: faker.helpers.arrayElements(FACET_NAMES, 3),
      sort: faker.helpers.weightedArrayElement([
        { weight: 80, value: "relevance" as const },
        { weight: 10, value: "price_asc" as const },
        { weight: 10, value: "lead_time" as const },
      ]),
      page: 1,
      pageSize: 20,
      visibility: { buyerGroupIds: faker.helpers.arrayElements(catalogue.groupIds, { min: 0, max: 2 }) },
    };
  });
}

const bandBounds = (bands: typeof PRICE_BANDS, key: string) => bands.find((b) => b.key === key);
/** The band of a column's value, as the index stores it (column names and bands are constants of ours). */
const bandCase = (column: string, bands: typeof PRICE_BANDS) =>
  sql.raw(`case ${bands.map((b) => `when ${column} >= ${b.min}${b.max === null ? "" : ` and ${column} < ${b.max}`} then '${b.key}'`).join(" ")} end`);

/**
 * The same query as the naive way a first version would run it: `ILIKE '%word%'` over the listings
 * table (title, description, SKU, seller name), joined to the sellers and the visibility rows, with
 * the same filters, the page of hits and the total and facet counts over the matching set. No text
 * index, no typo tolerance (a misspelt word finds nothing): this is the cost baseline.
 */
export function createIlikeBaseline(db: Kysely<Database>, categories: SeededCatalogue["categories"]) {
  const descendants = new Map<string, string[]>();
  for (const category of categories) {
    const ids = [category.id];
    for (let i = 0; i < ids.length; i += 1) ids.push(...categories.filter((c) => c.parentId === ids[i]).map((c) => c.id));
    descendants.set(category.id, ids);
  }

  return async function search(query: ListingQuery): Promise<{ hits: number; total: number }> {
    const words = (query.text ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const conditions: RawBuilder<unknown>[] = [
      sql`l.status = 'published'`,
      sql`o.status = 'active'`,
      sql`(l.visibility = 'everyone' or exists (select 1 from listing_visibility v where v.listing_id = l.id and v.group_id::text = any(${[...query.visibility.buyerGroupIds]}::text[])))`,
    ];
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(sql`(l.title ilike ${pattern} or l.description ilike ${pattern} or l.sku ilike ${pattern} or o.name ilike ${pattern})`);
    }
    const f = query.filters ?? {};
    if (f.categoryId) conditions.push(sql`l.category_id::text = any(${descendants.get(f.categoryId) ?? [f.categoryId]}::text[])`);
    if (f.sellerId) conditions.push(sql`l.seller_id::text = ${f.sellerId}`);
    const band = f.priceBand ? bandBounds(PRICE_BANDS, f.priceBand) : undefined;
    if (band) conditions.push(band.max === null ? sql`l.list_price_minor >= ${band.min}` : sql`l.list_price_minor >= ${band.min} and l.list_price_minor < ${band.max}`);
    if (f.maxMinOrderQuantity !== undefined) conditions.push(sql`l.min_order_quantity <= ${f.maxMinOrderQuantity}`);
    if (f.maxLeadTimeDays !== undefined) conditions.push(sql`l.lead_time_days <= ${f.maxLeadTimeDays}`);
    if (f.inStock !== undefined) conditions.push(f.inStock ? sql`l.stock > 0` : sql`l.stock = 0`);
    const where = sql.join(conditions, sql` and `);
    const orderBy = { relevance: sql`l.updated_at desc, l.id`, price_asc: sql`l.list_price_minor, l.id`, price_desc: sql`l.list_price_minor desc, l.id`, lead_time: sql`l.lead_time_days, l.list_price_minor, l.id` }[
      query.sort ?? "relevance"
    ];

    const facetColumn: Record<FacetName, RawBuilder<unknown>> = {
      category: sql`category_id::text`,
      seller: sql`seller_id::text`,
      priceBand: bandCase("list_price_minor", PRICE_BANDS),
      minOrder: bandCase("min_order_quantity", MIN_ORDER_BANDS),
      leadTime: bandCase("lead_time_days", LEAD_TIME_BANDS),
      inStock: sql`(stock > 0)::text`,
    };
    const parts = [sql`select '' as facet, '' as value, count(*)::int as count from f`];
    for (const name of query.facets ?? []) parts.push(sql`select ${name}::text, ${facetColumn[name]}, count(*)::int from f group by 2`);

    const hits = await sql`
      select l.id, l.title, l.sku, o.name from listings l join organizations o on o.id = l.seller_id
      where ${where} order by ${orderBy} limit ${query.pageSize ?? 20}`.execute(db);
    const counts = await sql<{ facet: string; count: number }>`
      with f as (select l.* from listings l join organizations o on o.id = l.seller_id where ${where})
      ${sql.join(parts, sql` union all `)}`.execute(db);
    return { hits: hits.rows.length, total: counts.rows.find((r) => r.facet === "")?.count ?? 0 };
  };
}
