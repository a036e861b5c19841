import { type Kysely, sql } from "kysely";

/**
 * The PostgreSQL search adapter's own index (packages/search): one row per indexed listing, like a
 * Meilisearch index, written only by that adapter and rebuilt from the catalogue at will. Ids are
 * text, not uuid, so a hostile filter value is a non-matching value rather than a cast error.
 * The tsvector is maintained by the adapter on upsert (category names live in the document).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table search_listings (
      id text primary key,
      seller_id text not null,
      category_ids text[] not null default '{}',
      currency text not null,
      list_price_minor bigint not null check (list_price_minor >= 0),
      price_band text not null,
      min_order_quantity integer not null check (min_order_quantity >= 0),
      min_order_band text not null,
      lead_time_days integer not null check (lead_time_days >= 0),
      lead_time_band text not null,
      in_stock boolean not null,
      visible_to_everyone boolean not null,
      visibility_groups text[] not null default '{}',
      title text not null,
      search_vector tsvector not null,
      document jsonb not null,
      checksum text not null,
      updated_at timestamptz not null,
      indexed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index search_listings_vector_idx on search_listings using gin (search_vector)`.execute(db);
  await sql`create index search_listings_title_trgm_idx on search_listings using gin (title gin_trgm_ops)`.execute(db);
  await sql`create index search_listings_categories_idx on search_listings using gin (category_ids)`.execute(db);
  await sql`create index search_listings_groups_idx on search_listings using gin (visibility_groups)`.execute(db);
  await sql`create index search_listings_seller_idx on search_listings (seller_id)`.execute(db);
  await sql`create index search_listings_price_idx on search_listings (list_price_minor, id)`.execute(db);
  await sql`create index search_listings_lead_time_idx on search_listings (lead_time_days, id)`.execute(db);
  await sql`create index search_listings_min_order_idx on search_listings (min_order_quantity)`.execute(db);
  await sql`create index search_listings_price_band_idx on search_listings (price_band)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists search_listings`.execute(db);
}
