import { type Kysely, sql } from "kysely";

/**
 * The catalogue: listings with volume tiers, attributes and images, the seller's customer groups,
 * price lists and their assignments, listing visibility, catalogue imports, and the search-index
 * runs the operator watches.
 *
 * Tenant integrity is enforced by the database, not only by the services: every child row carries
 * its seller's id and references its parent through (id, seller_id), so a price list of seller A
 * can never hold a listing of seller B, nor a listing be shown to a group of another seller.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table listings (
      id uuid primary key default gen_random_uuid(),
      seller_id uuid not null references organizations(id) on delete cascade,
      sku text not null check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
      title text not null check (length(title) between 1 and 200),
      description text not null default '' check (length(description) <= 5000),
      category_id uuid not null references categories(id) on delete restrict,
      unit text not null check (length(unit) between 1 and 20),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      list_price_minor bigint not null check (list_price_minor > 0 and list_price_minor <= 9007199254740991),
      min_order_quantity integer not null default 1 check (min_order_quantity >= 1),
      stock integer not null default 0 check (stock >= 0),
      lead_time_days integer not null default 0 check (lead_time_days between 0 and 365),
      attributes jsonb not null default '{}' check (jsonb_typeof(attributes) = 'object'),
      visibility text not null default 'everyone' check (visibility in ('everyone', 'groups')),
      status text not null default 'draft' check (status in ('draft', 'published', 'unlisted', 'blocked')),
      blocked_reason text check (status <> 'blocked' or length(blocked_reason) > 0),
      -- Bumped on every change a buyer could see: the search document carries it.
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (seller_id, sku),
      unique (id, seller_id)
    )`.execute(db);
  await sql`create index listings_seller_status_idx on listings (seller_id, status, updated_at desc)`.execute(db);
  await sql`create index listings_status_idx on listings (status, id)`.execute(db);
  await sql`create index listings_title_trgm_idx on listings using gin (title gin_trgm_ops)`.execute(db);

  await sql`
    create table listing_price_tiers (
      listing_id uuid not null references listings(id) on delete cascade,
      min_quantity integer not null check (min_quantity >= 1),
      unit_price_minor bigint not null check (unit_price_minor > 0 and unit_price_minor <= 9007199254740991),
      primary key (listing_id, min_quantity)
    )`.execute(db);

  await sql`
    create table listing_images (
      id uuid primary key default gen_random_uuid(),
      listing_id uuid not null,
      seller_id uuid not null,
      original_name text not null check (length(original_name) between 1 and 255),
      content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
      size_bytes integer not null check (size_bytes > 0),
      storage_key text not null unique,
      position integer not null default 0,
      created_at timestamptz not null default now(),
      foreign key (listing_id, seller_id) references listings(id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index listing_images_listing_idx on listing_images (listing_id, position, created_at)`.execute(db);

  await sql`
    create table customer_groups (
      id uuid primary key default gen_random_uuid(),
      seller_id uuid not null references organizations(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      created_at timestamptz not null default now(),
      unique (id, seller_id)
    )`.execute(db);
  await sql`create unique index customer_groups_name_key on customer_groups (seller_id, lower(name))`.execute(db);

  await sql`
    create table customer_group_members (
      group_id uuid not null,
      seller_id uuid not null,
      buyer_id uuid not null references organizations(id) on delete cascade,
      added_at timestamptz not null default now(),
      primary key (group_id, buyer_id),
      foreign key (group_id, seller_id) references customer_groups(id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index customer_group_members_buyer_idx on customer_group_members (buyer_id, group_id)`.execute(db);

  await sql`
    create table listing_visibility (
      listing_id uuid not null,
      group_id uuid not null,
      seller_id uuid not null,
      primary key (listing_id, group_id),
      foreign key (listing_id, seller_id) references listings(id, seller_id) on delete cascade,
      foreign key (group_id, seller_id) references customer_groups(id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index listing_visibility_group_idx on listing_visibility (group_id)`.execute(db);

  await sql`
    create table price_lists (
      id uuid primary key default gen_random_uuid(),
      seller_id uuid not null references organizations(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      valid_from timestamptz,
      valid_to timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (valid_from is null or valid_to is null or valid_to > valid_from),
      unique (id, seller_id)
    )`.execute(db);
  await sql`create unique index price_lists_name_key on price_lists (seller_id, lower(name))`.execute(db);

  await sql`
    create table price_list_entries (
      price_list_id uuid not null,
      listing_id uuid not null,
      seller_id uuid not null,
      min_quantity integer not null check (min_quantity >= 1),
      unit_price_minor bigint not null check (unit_price_minor > 0 and unit_price_minor <= 9007199254740991),
      primary key (price_list_id, listing_id, min_quantity),
      foreign key (price_list_id, seller_id) references price_lists(id, seller_id) on delete cascade,
      foreign key (listing_id, seller_id) references listings(id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index price_list_entries_listing_idx on price_list_entries (listing_id)`.execute(db);

  await sql`
    create table price_list_assignments (
      id uuid primary key default gen_random_uuid(),
      price_list_id uuid not null,
      seller_id uuid not null,
      buyer_id uuid references organizations(id) on delete cascade,
      group_id uuid,
      priority integer not null default 0 check (priority between -1000 and 1000),
      created_at timestamptz not null default now(),
      check ((buyer_id is null) <> (group_id is null)),
      foreign key (price_list_id, seller_id) references price_lists(id, seller_id) on delete cascade,
      foreign key (group_id, seller_id) references customer_groups(id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create unique index price_list_assignments_buyer_key on price_list_assignments (price_list_id, buyer_id) where buyer_id is not null`.execute(db);
  await sql`create unique index price_list_assignments_group_key on price_list_assignments (price_list_id, group_id) where group_id is not null`.execute(db);
  await sql`create index price_list_assignments_buyer_idx on price_list_assignments (buyer_id) where buyer_id is not null`.execute(db);
  await sql`create index price_list_assignments_group_idx on price_list_assignments (group_id) where group_id is not null`.execute(db);

  // The uploaded file is kept in the row: the worker that runs the import needs no shared disk.
  await sql`
    create table catalogue_imports (
      id uuid primary key default gen_random_uuid(),
      seller_id uuid not null references organizations(id) on delete cascade,
      created_by uuid references users(id) on delete set null,
      file_name text not null check (length(file_name) between 1 and 255),
      content bytea not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
      total_rows integer not null default 0,
      processed_rows integer not null default 0,
      created_count integer not null default 0,
      updated_count integer not null default 0,
      unchanged_count integer not null default 0,
      error_count integer not null default 0,
      -- [{ line, column, reason }], capped by the service
      errors jsonb not null default '[]',
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      unique (id, seller_id)
    )`.execute(db);
  await sql`create index catalogue_imports_seller_idx on catalogue_imports (seller_id, created_at desc)`.execute(db);

  await sql`
    create table search_index_runs (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('reconcile', 'reindex')),
      requested_by uuid references users(id) on delete set null,
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
      expected_count integer,
      indexed_count integer,
      missing_count integer,
      stale_count integer,
      extra_count integer,
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index search_index_runs_created_idx on search_index_runs (created_at desc)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "search_index_runs",
    "catalogue_imports",
    "price_list_assignments",
    "price_list_entries",
    "price_lists",
    "listing_visibility",
    "customer_group_members",
    "customer_groups",
    "listing_images",
    "listing_price_tiers",
    "listings",
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
