import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "@souk/db";
import {
  assertListingDocument,
  bandOf,
  LEAD_TIME_BANDS,
  MAX_FACET_VALUES,
  MIN_ORDER_BANDS,
  normalisePaging,
  numericFilter,
  PRICE_BANDS,
  SEARCH_LOCK_TIMEOUT_MS,
  SEARCH_TIMEOUT_MS,
  SearchUnavailableError,
  toHit,
  type FacetCount,
  type FacetName,
  type ListingDocument,
  type ListingIndex,
  type ListingQuery,
  type ListingSearchResult,
} from "../port";

/**
 * Word similarity (pg_trgm) above which a query word counts as a misspelling of a title word. 0.4
 * accepts one substituted or transposed letter in words of 5+ letters, like Meilisearch's default.
 */
const TYPO_THRESHOLD = "0.4";
/**
 * Shorter words only match as prefixes: the trigrams of a 4-letter word ("work") are shared by
 * every title with a word starting alike ("wood", "wool"), which both floods the results and makes
 * the query check thousands of rows.
 */
const MIN_TYPO_WORD_LENGTH = 5;
const MAX_QUERY_WORDS = 8;
/** ~19 bound parameters per row; PostgreSQL allows 65,535 per statement. */
const UPSERT_CHUNK = 500;

/**
 * Words of the query: letters and digits only, so nothing the user types can become tsquery or SQL
 * syntax (and the words are bound parameters anyway).
 */
export function queryWords(text: string | undefined): string[] {
  return (text ?? "").normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_QUERY_WORDS) ?? [];
}

type Facet = { column: RawBuilder<unknown>; unnest: boolean };
const FACET_COLUMNS: Record<FacetName, Facet> = {
  category: { column: sql`category_ids`, unnest: true },
  seller: { column: sql`seller_id`, unnest: false },
  priceBand: { column: sql`price_band`, unnest: false },
  minOrder: { column: sql`min_order_band`, unnest: false },
  leadTime: { column: sql`lead_time_band`, unnest: false },
  inStock: { column: sql`in_stock::text`, unnest: false },
};

/**
 * The default adapter: PostgreSQL full text over its own table `search_listings` (migration 0003).
 * Matching: every query word must match, as a prefix of any indexed word (title, sku, category
 * names, description, seller name; `simple` configuration, since titles are English or French) or,
 * for words of 5+ letters (Meilisearch's `minWordSizeForTypos.oneTypo`), as a near spelling of a
 * title word (pg_trgm). Facet counts are computed over the same filtered set as the hits, each
 * facet including its own filter.
 */
export function createPostgresListingIndex(db: Kysely<Database>): ListingIndex {
  /**
   * The reads (search, stats), bounded: a table locked by a VACUUM FULL or a migration, or a query
   * gone slow, fails with SearchUnavailableError instead of holding the page and its connection.
   */
  async function inTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    const run = async (trx: Kysely<Database>) => {
      // Local to this transaction: the pool's other users keep pg_trgm's default and no timeout.
      await sql`select set_config('pg_trgm.word_similarity_threshold', ${TYPO_THRESHOLD}, true),
        set_config('lock_timeout', ${`${SEARCH_LOCK_TIMEOUT_MS}ms`}, true),
        set_config('statement_timeout', ${`${SEARCH_TIMEOUT_MS}ms`}, true)`.execute(trx);
      return fn(trx);
    };
    try {
      return await (db.isTransaction ? run(db) : db.transaction().execute(run));
    } catch (error) {
      if (isUnavailable(error)) throw new SearchUnavailableError(`PostgreSQL search index unavailable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      throw error;
    }
  }

  return {
    name: "postgres",

    async configure() {
      // The table belongs to migration 0003; this only proves it is there.
      await sql`select 1 from search_listings limit 0`.execute(db);
    },

    async upsert(docs) {
      docs.forEach(assertListingDocument);
      // One statement cannot touch a row twice: the last version of an id in the batch wins.
      const unique = [...new Map(docs.map((d) => [d.id, d])).values()];
      for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
        const rows = unique.slice(i, i + UPSERT_CHUNK).map(rowValues);
        await sql`
          insert into search_listings (id, seller_id, category_ids, currency, list_price_minor, price_band,
            min_order_quantity, min_order_band, lead_time_days, lead_time_band, in_stock, visible_to_everyone,
            visibility_groups, title, search_vector, document, checksum, updated_at)
          values ${sql.join(rows)}
          on conflict (id) do update set
            seller_id = excluded.seller_id, category_ids = excluded.category_ids, currency = excluded.currency,
            list_price_minor = excluded.list_price_minor, price_band = excluded.price_band,
            min_order_quantity = excluded.min_order_quantity, min_order_band = excluded.min_order_band,
            lead_time_days = excluded.lead_time_days, lead_time_band = excluded.lead_time_band,
            in_stock = excluded.in_stock, visible_to_everyone = excluded.visible_to_everyone,
            visibility_groups = excluded.visibility_groups, title = excluded.title,
            search_vector = excluded.search_vector, document = excluded.document, checksum = excluded.checksum,
            updated_at = excluded.updated_at, indexed_at = now()`.execute(db);
      }
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await sql`delete from search_listings where id = any(${[...ids]}::text[])`.execute(db);
    },

    async search(query: ListingQuery): Promise<ListingSearchResult> {
      const { page, pageSize } = normalisePaging(query);
      const words = queryWords(query.text);
      const where = whereClause(query, words);
      const anyWord = words.map((w) => `${w}:*`).join(" | ");
      const sort = query.sort ?? "relevance";
      // Like Meilisearch's ranking rules, a listing that matches a word as typed (or as a prefix)
      // comes before one that only matches a misspelling; among the former, full-text rank
      // (weights: title and SKU, categories, description), among the latter, how close the title
      // is. Computing the trigram similarity only for the latter keeps the cost per match low.
      const rank =
        words.length === 0 || sort !== "relevance"
          ? sql`0::real`
          : sql`case when search_vector @@ to_tsquery('simple', ${anyWord}) then 1 + ts_rank(search_vector, to_tsquery('simple', ${anyWord}))
              else word_similarity(${words.join(" ")}, title) end`;
      const orderBy = {
        relevance: words.length === 0 ? sql`updated_at desc, id` : sql`rank desc, id`,
        price_asc: sql`list_price_minor asc, id`,
        price_desc: sql`list_price_minor desc, id`,
        lead_time: sql`lead_time_days asc, list_price_minor asc, id`,
      }[sort];
      const facetNames = [...new Set(query.facets ?? [])].filter((f) => f in FACET_COLUMNS);
      const facetParts = facetNames.map((name) => {
        const { column, unnest } = FACET_COLUMNS[name];
        return unnest
          ? sql`select ${name}::text as facet, v as value, count(*)::int as count from f, unnest(f.${column}) v group by v`
          : sql`select ${name}::text as facet, ${column}::text as value, count(*)::int as count from f group by ${column}`;
      });
      const facetRows =
        facetParts.length === 0
          ? sql`'[]'::jsonb`
          : sql`(select coalesce(jsonb_agg(jsonb_build_array(c.facet, c.value, c.count)), '[]'::jsonb) from (${sql.join(facetParts, sql` union all `)}) c)`;

      // One statement, so the filtered set is read once: its narrow columns are materialised, the
      // page is sorted from them, and only the page's documents are fetched. The documents are
      // the wide part of the row; reading them for every match is what makes a scan slow.
      return inTransaction(async (trx) => {
        const result = await sql<{ total: number; hits: ListingDocument[]; facets: [FacetName, string, number][] }>`
          with f as materialized (
            select id, ${rank} as rank, updated_at, list_price_minor, lead_time_days, seller_id, category_ids, price_band,
              min_order_band, lead_time_band, in_stock
            from search_listings where ${where}
          ),
          page as (select * from f order by ${orderBy} limit ${pageSize} offset ${(page - 1) * pageSize})
          select
            (select count(*)::int from f) as total,
            (select coalesce(jsonb_agg(x.document order by ${orderBy}), '[]'::jsonb)
              from (select page.*, s.document from page join search_listings s on s.id = page.id) x) as hits,
            ${facetRows} as facets`.execute(trx);
        const row = result.rows[0]!;

        const facets: Partial<Record<FacetName, FacetCount[]>> = {};
        for (const name of facetNames) facets[name] = [];
        for (const [facet, value, count] of row.facets) facets[facet]!.push({ value, count });
        for (const name of facetNames) {
          facets[name] = facets[name]!
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
            .slice(0, MAX_FACET_VALUES);
        }
        return { hits: row.hits.map(toHit), total: row.total, facets, page, pageSize };
      });
    },

    async stats() {
      const rows = await inTransaction((trx) => trx.selectFrom("search_listings").select(["id", "checksum"]).execute());
      return { count: rows.length, checksums: Object.fromEntries(rows.map((r) => [r.id, r.checksum])) };
    },
  };
}

/**
 * What says "the index cannot answer now" rather than "this query is wrong": a lock or statement
 * timeout (55P03, 57014), a connection refused, lost or shut down (class 08, 57P0x), no free
 * connection in the pool in time.
 */
function isUnavailable(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === "string" && (code === "55P03" || code === "57014" || code.startsWith("08") || code.startsWith("57P") || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE)$/.test(code))) return true;
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}

function rowValues(doc: ListingDocument): RawBuilder<unknown> {
  const price = Number(doc.listPriceMinor);
  const everyone = doc.visibility === "everyone";
  const groups = doc.visibility === "everyone" ? [] : [...doc.visibility.groups];
  const categoryNames = [...doc.categoryPath.en, ...doc.categoryPath.fr].join(" ");
  const vector = sql`
    setweight(to_tsvector('simple', ${doc.title}), 'A') || setweight(to_tsvector('simple', ${doc.sku}), 'A') ||
    setweight(to_tsvector('simple', ${categoryNames}), 'B') || setweight(to_tsvector('simple', ${doc.description}), 'C') ||
    setweight(to_tsvector('simple', ${doc.sellerName}), 'C')`;
  return sql`(${doc.id}, ${doc.sellerId}, ${[...doc.categoryIds]}::text[], ${doc.currency}, ${doc.listPriceMinor}::bigint,
    ${bandOf(PRICE_BANDS, price)}, ${doc.minOrderQuantity}, ${bandOf(MIN_ORDER_BANDS, doc.minOrderQuantity)},
    ${doc.leadTimeDays}, ${bandOf(LEAD_TIME_BANDS, doc.leadTimeDays)}, ${doc.inStock}, ${everyone}, ${groups}::text[],
    ${doc.title}, ${vector}, ${JSON.stringify(doc)}::jsonb, ${doc.checksum}, ${doc.updatedAt}::timestamptz)`;
}

/** Every value is a bound parameter; strings are compared as plain values whatever they contain. */
function whereClause(query: ListingQuery, words: string[]): RawBuilder<unknown> {
  const groups = query.visibility.buyerGroupIds.map(String);
  const conditions: RawBuilder<unknown>[] = [sql`(visible_to_everyone or visibility_groups && ${groups}::text[])`];
  for (const word of words) {
    conditions.push(
      word.length >= MIN_TYPO_WORD_LENGTH
        ? sql`(search_vector @@ to_tsquery('simple', ${`${word}:*`}) or ${word} <% title)`
        : sql`search_vector @@ to_tsquery('simple', ${`${word}:*`})`,
    );
  }
  const f = query.filters ?? {};
  if (f.categoryId !== undefined) conditions.push(sql`category_ids @> ${[String(f.categoryId)]}::text[]`);
  if (f.sellerId !== undefined) conditions.push(sql`seller_id = ${String(f.sellerId)}`);
  if (f.priceBand !== undefined) {
    // As a price range rather than the band column: the planner then knows how the band and the
    // price order relate (a price sort within a band walks the price index from the band's start).
    const band = PRICE_BANDS.find((b) => b.key === String(f.priceBand));
    if (!band) conditions.push(sql`false`);
    else conditions.push(band.max === null ? sql`list_price_minor >= ${band.min}` : sql`list_price_minor >= ${band.min} and list_price_minor < ${band.max}`);
  }
  const maxMinOrder = numericFilter(f.maxMinOrderQuantity);
  if (maxMinOrder !== undefined) conditions.push(sql`min_order_quantity <= ${maxMinOrder}`);
  const maxLead = numericFilter(f.maxLeadTimeDays);
  if (maxLead !== undefined) conditions.push(sql`lead_time_days <= ${maxLead}`);
  if (typeof f.inStock === "boolean") conditions.push(sql`in_stock = ${f.inStock}`);
  return sql.join(conditions, sql` and `);
}
