import { type Kysely, sql } from "kysely";

/**
 * Orders, B2B purchasing and money: the buyer's address book, carts, requisition lists, purchases
 * (a checkout; it becomes one order per seller once placed, directly or after its approval), the
 * order lifecycle columns and its timeline, disputes, commission rules, the double-entry ledger
 * (accounts, journals, entries), settlements, refunds and payouts.
 *
 * The ledger defends itself: a deferred constraint trigger refuses, at commit, any journal whose
 * entries do not sum to zero or carry another currency than the journal's; journals and entries
 * are append-only; a journal's idempotency key is unique (an order settles once, whatever retries
 * or crashes happen); a settlement row checks net + commission = gross.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table organization_addresses (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      label text not null check (length(label) between 1 and 100),
      recipient text not null check (length(recipient) between 1 and 200),
      line1 text not null check (length(line1) between 1 and 200),
      line2 text not null default '' check (length(line2) <= 200),
      postal_code text not null check (length(postal_code) between 1 and 20),
      city text not null check (length(city) between 1 and 100),
      country text not null check (country ~ '^[A-Z]{2}$'),
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, organization_id)
    )`.execute(db);
  await sql`create unique index organization_addresses_default_key on organization_addresses (organization_id) where is_default`.execute(db);

  await sql`
    create table carts (
      id uuid primary key default gen_random_uuid(),
      buyer_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      updated_at timestamptz not null default now(),
      unique (buyer_id, user_id),
      unique (id, buyer_id)
    )`.execute(db);
  await sql`
    create table cart_lines (
      cart_id uuid not null,
      buyer_id uuid not null,
      listing_id uuid not null references listings(id) on delete cascade,
      quantity integer not null check (quantity between 1 and 1000000000),
      added_at timestamptz not null default now(),
      primary key (cart_id, listing_id),
      foreign key (cart_id, buyer_id) references carts(id, buyer_id) on delete cascade
    )`.execute(db);

  await sql`
    create table requisition_lists (
      id uuid primary key default gen_random_uuid(),
      buyer_id uuid not null references organizations(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      description text not null default '' check (length(description) <= 1000),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, buyer_id)
    )`.execute(db);
  await sql`create unique index requisition_lists_name_key on requisition_lists (buyer_id, lower(name))`.execute(db);
  await sql`
    create table requisition_list_items (
      list_id uuid not null,
      buyer_id uuid not null,
      listing_id uuid not null references listings(id) on delete cascade,
      quantity integer not null check (quantity between 1 and 1000000000),
      note text not null default '' check (length(note) <= 500),
      added_by uuid references users(id) on delete set null,
      added_at timestamptz not null default now(),
      primary key (list_id, listing_id),
      foreign key (list_id, buyer_id) references requisition_lists(id, buyer_id) on delete cascade
    )`.execute(db);

  await sql`
    create table purchases (
      id uuid primary key default gen_random_uuid(),
      number bigint generated always as identity unique,
      buyer_id uuid not null references organizations(id) on delete restrict,
      placed_by uuid references users(id) on delete set null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      total_minor bigint not null check (total_minor > 0),
      po_number text not null default '' check (length(po_number) <= 50),
      delivery_address jsonb not null,
      status text not null check (status in ('pending_approval', 'placed', 'rejected', 'withdrawn')),
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      unique (id, buyer_id)
    )`.execute(db);
  await sql`create index purchases_buyer_idx on purchases (buyer_id, created_at desc)`.execute(db);
  await sql`
    create table purchase_lines (
      purchase_id uuid not null,
      buyer_id uuid not null,
      position integer not null check (position >= 0),
      listing_id uuid references listings(id) on delete set null,
      seller_id uuid not null references organizations(id) on delete restrict,
      sku text not null,
      description text not null check (length(description) between 1 and 500),
      unit text not null check (length(unit) between 1 and 20),
      quantity integer not null check (quantity >= 1),
      unit_price_minor bigint not null check (unit_price_minor > 0),
      line_total_minor bigint not null check (line_total_minor > 0),
      primary key (purchase_id, position),
      foreign key (purchase_id, buyer_id) references purchases(id, buyer_id) on delete cascade
    )`.execute(db);

  await sql`alter table approvals drop constraint approvals_subject_kind_check`.execute(db);
  await sql`alter table approvals add constraint approvals_subject_kind_check check (subject_kind in ('award', 'purchase'))`.execute(db);
  // A purchase's requester may take it back while it waits (withdrawPurchase): its approval is then
  // `withdrawn`, closed by no decider (decided_at is set, decided_by stays null, so the
  // decider-is-not-the-requester check holds). Awards cannot be withdrawn.
  await sql`alter table approvals drop constraint approvals_status_check`.execute(db);
  await sql`alter table approvals add constraint approvals_status_check check (status in ('pending', 'approved', 'rejected', 'withdrawn'))`.execute(db);
  await sql`alter table approvals add constraint approvals_withdrawn_check check (status <> 'withdrawn' or (subject_kind = 'purchase' and decided_by is null))`.execute(db);

  await sql`
    alter table orders
      add column purchase_id uuid references purchases(id) on delete restrict,
      add column po_number text not null default '' check (length(po_number) <= 50),
      add column delivery_address jsonb,
      add column category_id uuid references categories(id) on delete set null,
      add column accepted_at timestamptz,
      add column rejected_at timestamptz,
      add column reject_reason text check (length(reject_reason) <= 2000),
      add column shipped_at timestamptz,
      add column carrier text check (length(carrier) <= 100),
      add column tracking_reference text check (length(tracking_reference) <= 100),
      add column delivery_confirmed_by text check (delivery_confirmed_by in ('buyer', 'auto')),
      add column cancelled_at timestamptz,
      add column cancel_reason text check (length(cancel_reason) <= 2000),
      add column cancellation_requested_by text check (cancellation_requested_by in ('buyer', 'seller')),
      add column cancellation_requested_at timestamptz,
      add column cancellation_reason text check (length(cancellation_reason) <= 2000),
      add column settled_at timestamptz,
      add column version integer not null default 1`.execute(db);
  // One order per seller per purchase, like one per seller per award.
  await sql`create unique index orders_purchase_seller_key on orders (purchase_id, seller_id) where purchase_id is not null`.execute(db);
  // The auto-confirmation sweep and the buyer's filters.
  await sql`create index orders_shipped_idx on orders (shipped_at) where status = 'shipped'`.execute(db);
  // The sweep that settles delivered orders whose settlement job was lost.
  await sql`create index orders_delivered_idx on orders (delivered_at) where status = 'delivered'`.execute(db);
  await sql`create index orders_buyer_status_idx on orders (buyer_id, status, placed_at desc)`.execute(db);

  await sql`
    create table order_events (
      id bigint generated always as identity primary key,
      order_id uuid not null references orders(id) on delete cascade,
      buyer_id uuid not null,
      seller_id uuid not null,
      kind text not null check (length(kind) between 1 and 50),
      actor_user_id uuid references users(id) on delete set null,
      actor_kind text not null check (actor_kind in ('buyer', 'seller', 'operator', 'system')),
      data jsonb not null default '{}',
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index order_events_order_idx on order_events (order_id, id)`.execute(db);

  await sql`
    create table disputes (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null unique,
      buyer_id uuid not null,
      seller_id uuid not null,
      reason text not null check (length(reason) between 1 and 2000),
      opened_by uuid references users(id) on delete set null,
      opened_at timestamptz not null default now(),
      status text not null default 'open' check (status in ('open', 'resolved')),
      resolution text check (resolution in ('release', 'partial_refund', 'full_refund')),
      refund_minor bigint not null default 0 check (refund_minor >= 0),
      resolved_by uuid references users(id) on delete set null,
      resolved_at timestamptz,
      note text not null default '' check (length(note) <= 2000),
      check ((status = 'open') = (resolution is null and resolved_at is null)),
      foreign key (order_id, buyer_id) references orders(id, buyer_id) on delete cascade
    )`.execute(db);
  await sql`create index disputes_status_idx on disputes (status, opened_at)`.execute(db);

  await sql`
    create table commission_rules (
      id uuid primary key default gen_random_uuid(),
      scope text not null check (scope in ('default', 'category', 'seller')),
      category_id uuid references categories(id) on delete restrict,
      seller_id uuid references organizations(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      rate_bps integer not null check (rate_bps between 0 and 10000),
      fixed_minor bigint not null default 0 check (fixed_minor >= 0),
      floor_minor bigint not null default 0 check (floor_minor >= 0),
      cap_minor bigint check (cap_minor >= 0),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archived_at timestamptz,
      check (cap_minor is null or cap_minor >= floor_minor),
      check ((scope = 'category') = (category_id is not null)),
      check ((scope = 'seller') = (seller_id is not null))
    )`.execute(db);
  await sql`
    create unique index commission_rules_live_key on commission_rules (scope, coalesce(category_id, seller_id), currency)
    nulls not distinct where archived_at is null`.execute(db);

  await sql`
    create table ledger_accounts (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('buyer_receivable', 'seller_payable', 'commission_revenue', 'payouts_in_transit', 'cash')),
      organization_id uuid references organizations(id) on delete restrict,
      counterparty_id uuid references organizations(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz not null default now(),
      check ((kind in ('buyer_receivable', 'seller_payable')) = (organization_id is not null)),
      check ((kind = 'buyer_receivable') = (counterparty_id is not null)),
      unique nulls not distinct (kind, organization_id, counterparty_id, currency),
      unique (id, currency)
    )`.execute(db);

  await sql`
    create table payout_runs (
      id uuid primary key default gen_random_uuid(),
      trigger text not null check (trigger in ('schedule', 'operator')),
      requested_by uuid references users(id) on delete set null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      payouts integer not null default 0
    )`.execute(db);
  await sql`create index payout_runs_started_idx on payout_runs (started_at desc)`.execute(db);

  await sql`
    create table payouts (
      id uuid primary key default gen_random_uuid(),
      number bigint generated always as identity unique,
      seller_id uuid not null references organizations(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount_minor bigint not null check (amount_minor > 0),
      status text not null default 'pending' check (status in ('pending', 'held', 'paid', 'failed')),
      run_id uuid references payout_runs(id) on delete set null,
      provider text not null default 'manual',
      provider_reference text check (length(provider_reference) <= 200),
      -- When the payout was handed to the provider (payout.submit job, after the run committed): null until then.
      submitted_at timestamptz,
      failure_reason text check (length(failure_reason) <= 2000),
      created_at timestamptz not null default now(),
      decided_by uuid references users(id) on delete set null,
      decided_at timestamptz,
      unique (id, seller_id)
    )`.execute(db);
  await sql`create index payouts_seller_idx on payouts (seller_id, created_at desc)`.execute(db);
  await sql`create index payouts_status_idx on payouts (status, created_at)`.execute(db);

  await sql`
    create table journals (
      id uuid primary key default gen_random_uuid(),
      number bigint generated always as identity unique,
      -- settlement:<orderId>, refund:<disputeId>:<n>, payout:<payoutId>, payout-paid:<payoutId>...
      idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
      kind text not null check (kind in ('settlement', 'refund', 'payout', 'payout_paid', 'payout_failed')),
      order_id uuid references orders(id) on delete restrict,
      payout_id uuid references payouts(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      memo text not null default '' check (length(memo) <= 500),
      posted_by uuid references users(id) on delete set null,
      posted_at timestamptz not null default now(),
      unique (id, currency),
      check ((kind in ('settlement', 'refund')) = (order_id is not null)),
      check ((kind in ('payout', 'payout_paid', 'payout_failed')) = (payout_id is not null))
    )`.execute(db);
  await sql`create index journals_order_idx on journals (order_id) where order_id is not null`.execute(db);
  await sql`create index journals_payout_idx on journals (payout_id) where payout_id is not null`.execute(db);

  await sql`
    create table ledger_entries (
      id bigint generated always as identity primary key,
      journal_id uuid not null,
      account_id uuid not null,
      currency text not null,
      -- Debit positive, credit negative.
      amount_minor bigint not null check (amount_minor <> 0),
      foreign key (journal_id, currency) references journals(id, currency) on delete restrict,
      foreign key (account_id, currency) references ledger_accounts(id, currency) on delete restrict
    )`.execute(db);
  await sql`create index ledger_entries_journal_idx on ledger_entries (journal_id)`.execute(db);
  await sql`create index ledger_entries_account_idx on ledger_entries (account_id, id)`.execute(db);

  // Checked at commit, once all of a journal's entries are written.
  await sql`
    create function ledger_journal_balanced() returns trigger language plpgsql as $$
    declare
      total numeric;
      entries integer;
    begin
      select coalesce(sum(amount_minor), 0), count(*) into total, entries from ledger_entries where journal_id = new.journal_id;
      if entries < 2 or total <> 0 then
        raise exception 'journal % does not balance (% entries, sum %)', new.journal_id, entries, total
          using errcode = 'check_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger ledger_entries_balanced after insert on ledger_entries
    deferrable initially deferred for each row execute function ledger_journal_balanced()`.execute(db);
  // A journal without entries would balance trivially; refuse it too.
  await sql`
    create function ledger_journal_has_entries() returns trigger language plpgsql as $$
    begin
      if (select count(*) from ledger_entries where journal_id = new.id) < 2 then
        raise exception 'journal % has fewer than two entries', new.id using errcode = 'check_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger journals_have_entries after insert on journals
    deferrable initially deferred for each row execute function ledger_journal_has_entries()`.execute(db);
  await sql`
    create function ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger ledger_entries_append_only before update or delete on ledger_entries for each row execute function ledger_append_only()`.execute(db);
  await sql`create trigger journals_append_only before update or delete on journals for each row execute function ledger_append_only()`.execute(db);

  await sql`
    create table settlements (
      order_id uuid primary key references orders(id) on delete restrict,
      buyer_id uuid not null references organizations(id) on delete restrict,
      seller_id uuid not null references organizations(id) on delete restrict,
      journal_id uuid not null unique references journals(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      gross_minor bigint not null check (gross_minor > 0),
      commission_minor bigint not null check (commission_minor >= 0),
      net_minor bigint not null check (net_minor >= 0),
      -- The commission rule as it was when the order settled (later edits do not change it).
      rule jsonb not null,
      refunded_minor bigint not null default 0 check (refunded_minor >= 0),
      commission_refunded_minor bigint not null default 0 check (commission_refunded_minor >= 0),
      settled_at timestamptz not null default now(),
      check (net_minor + commission_minor = gross_minor),
      check (refunded_minor <= gross_minor),
      check (commission_refunded_minor <= commission_minor)
    )`.execute(db);
  await sql`create index settlements_seller_idx on settlements (seller_id, settled_at desc)`.execute(db);

  await sql`
    create table refunds (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references settlements(order_id) on delete restrict,
      dispute_id uuid references disputes(id) on delete restrict,
      journal_id uuid not null unique references journals(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount_minor bigint not null check (amount_minor > 0),
      commission_minor bigint not null check (commission_minor >= 0),
      net_minor bigint not null check (net_minor >= 0),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      check (net_minor + commission_minor = amount_minor)
    )`.execute(db);
  await sql`create index refunds_order_idx on refunds (order_id)`.execute(db);

  await sql`
    create table payout_items (
      payout_id uuid not null,
      seller_id uuid not null,
      -- A journal that moved the seller's payable belongs to at most one payout.
      journal_id uuid not null unique references journals(id) on delete restrict,
      -- What the journal owed the seller (its payable credit as a positive amount; a refund is negative).
      amount_minor bigint not null,
      primary key (payout_id, journal_id),
      foreign key (payout_id, seller_id) references payouts(id, seller_id) on delete restrict
    )`.execute(db);

  // The journal of a payout (debit the seller's payable) is written with the payout itself.
  await sql`alter table payouts add column journal_id uuid references journals(id) on delete restrict`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table payouts drop column if exists journal_id`.execute(db);
  for (const table of [
    "payout_items",
    "refunds",
    "settlements",
    "ledger_entries",
    "journals",
    "payouts",
    "payout_runs",
    "ledger_accounts",
    "commission_rules",
    "disputes",
    "order_events",
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists ledger_journal_balanced()`.execute(db);
  await sql`drop function if exists ledger_append_only()`.execute(db);
  await sql`drop function if exists ledger_journal_has_entries()`.execute(db);
  await sql`drop index if exists orders_purchase_seller_key`.execute(db);
  await sql`drop index if exists orders_shipped_idx`.execute(db);
  await sql`drop index if exists orders_delivered_idx`.execute(db);
  await sql`drop index if exists orders_buyer_status_idx`.execute(db);
  await sql`
    alter table orders
      drop column purchase_id, drop column po_number, drop column delivery_address, drop column category_id,
      drop column accepted_at, drop column rejected_at, drop column reject_reason, drop column shipped_at,
      drop column carrier, drop column tracking_reference, drop column delivery_confirmed_by, drop column cancelled_at,
      drop column cancel_reason, drop column cancellation_requested_by, drop column cancellation_requested_at,
      drop column cancellation_reason, drop column settled_at, drop column version`.execute(db);
  await sql`alter table approvals drop constraint approvals_subject_kind_check`.execute(db);
  await sql`alter table approvals add constraint approvals_subject_kind_check check (subject_kind in ('award', 'order'))`.execute(db);
  await sql`alter table approvals drop constraint if exists approvals_withdrawn_check`.execute(db);
  await sql`alter table approvals drop constraint approvals_status_check`.execute(db);
  await sql`alter table approvals add constraint approvals_status_check check (status in ('pending', 'approved', 'rejected'))`.execute(db);
  for (const table of ["purchase_lines", "purchases", "requisition_list_items", "requisition_lists", "cart_lines", "carts", "organization_addresses"]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
