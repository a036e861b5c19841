import { type Kysely, sql } from "kysely";

/**
 * RFQs and competing offers: the RFQ with its lines, attachments, invitations and questions; one
 * offer row per seller per RFQ with its current lines and every revision kept as a receipt of a
 * per-RFQ hash chain; the award with its lines; approval rules and approvals (shared with the
 * catalogue orders of the next issue); and orders with their lines (status `placed` only is
 * written by this issue; the lifecycle comes next).
 *
 * Tenant integrity is again enforced by the database: child rows carry their parent's tenant id
 * and reference the parent through (id, tenant), so an offer line can only price a line of its own
 * RFQ, and an award line only award an offer made on that RFQ.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rfqs (
      id uuid primary key default gen_random_uuid(),
      -- A short human reference (RFQ-000123), shown on pages and in e-mails.
      number bigint generated always as identity unique,
      buyer_id uuid not null references organizations(id) on delete cascade,
      created_by uuid references users(id) on delete set null,
      title text not null check (length(title) between 1 and 200),
      description text not null default '' check (length(description) <= 5000),
      category_id uuid not null references categories(id) on delete restrict,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      incoterm text not null check (incoterm in ('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF')),
      delivery_place text not null check (length(delivery_place) between 1 and 200),
      deadline timestamptz,
      visibility text not null default 'open' check (visibility in ('open', 'invited')),
      sealing text not null default 'sealed' check (sealing in ('sealed', 'open')),
      anti_sniping_minutes integer check (anti_sniping_minutes between 1 and 1440),
      anti_sniping_max integer check (anti_sniping_max between 1 and 100),
      extensions integer not null default 0 check (extensions >= 0),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed', 'awarded', 'cancelled')),
      cancel_reason text check (status <> 'cancelled' or length(cancel_reason) > 0),
      source_listing_id uuid references listings(id) on delete set null,
      -- The receipts chain: the last receipt's hash and how many receipts there are.
      chain_head text,
      chain_length integer not null default 0,
      chain_verified_at timestamptz,
      published_at timestamptz,
      closed_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((anti_sniping_minutes is null) = (anti_sniping_max is null)),
      check (status = 'draft' or deadline is not null),
      unique (id, buyer_id)
    )`.execute(db);
  await sql`create index rfqs_buyer_idx on rfqs (buyer_id, status, created_at desc)`.execute(db);
  await sql`create index rfqs_open_idx on rfqs (category_id, deadline) where status = 'open'`.execute(db);
  await sql`create index rfqs_due_idx on rfqs (deadline) where status = 'open'`.execute(db);

  await sql`
    create table rfq_lines (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null references rfqs(id) on delete cascade,
      position integer not null check (position >= 0),
      description text not null check (length(description) between 1 and 500),
      quantity integer not null check (quantity >= 1),
      unit text not null check (length(unit) between 1 and 20),
      target_price_minor bigint check (target_price_minor > 0 and target_price_minor <= 9007199254740991),
      listing_id uuid references listings(id) on delete set null,
      unique (rfq_id, position),
      unique (id, rfq_id)
    )`.execute(db);

  await sql`
    create table rfq_attachments (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null references rfqs(id) on delete cascade,
      original_name text not null check (length(original_name) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      storage_key text not null unique,
      uploaded_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index rfq_attachments_rfq_idx on rfq_attachments (rfq_id, created_at)`.execute(db);

  await sql`
    create table rfq_invitations (
      rfq_id uuid not null references rfqs(id) on delete cascade,
      seller_id uuid not null references organizations(id) on delete cascade,
      invited_at timestamptz not null default now(),
      primary key (rfq_id, seller_id)
    )`.execute(db);
  await sql`create index rfq_invitations_seller_idx on rfq_invitations (seller_id)`.execute(db);

  await sql`
    create table rfq_questions (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null references rfqs(id) on delete cascade,
      seller_id uuid not null references organizations(id) on delete cascade,
      asked_by uuid references users(id) on delete set null,
      question text not null check (length(question) between 1 and 2000),
      asked_at timestamptz not null default now(),
      answer text check (length(answer) between 1 and 4000),
      answer_visibility text check (answer_visibility in ('private', 'public')),
      answered_by uuid references users(id) on delete set null,
      answered_at timestamptz,
      check ((answer is null) = (answer_visibility is null) and (answer is null) = (answered_at is null))
    )`.execute(db);
  await sql`create index rfq_questions_rfq_idx on rfq_questions (rfq_id, asked_at)`.execute(db);

  // One row per seller per RFQ: withdrawing and submitting again revives the same row with a new
  // revision, which is what "one live offer per seller per RFQ" means.
  await sql`
    create table offers (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null references rfqs(id) on delete cascade,
      seller_id uuid not null references organizations(id) on delete cascade,
      status text not null check (status in ('submitted', 'revised', 'withdrawn', 'locked')),
      revision integer not null default 1 check (revision >= 1),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      lead_time_days integer not null check (lead_time_days between 0 and 730),
      valid_until timestamptz not null,
      notes text not null default '' check (length(notes) <= 2000),
      total_minor bigint not null check (total_minor >= 0),
      submitted_by uuid references users(id) on delete set null,
      submitted_at timestamptz not null,
      updated_at timestamptz not null,
      withdrawn_at timestamptz,
      unique (rfq_id, seller_id),
      unique (id, rfq_id),
      unique (id, rfq_id, seller_id)
    )`.execute(db);
  await sql`create index offers_seller_idx on offers (seller_id, updated_at desc)`.execute(db);

  await sql`
    create table offer_lines (
      offer_id uuid not null,
      rfq_id uuid not null,
      line_id uuid not null,
      unit_price_minor bigint not null check (unit_price_minor > 0 and unit_price_minor <= 9007199254740991),
      quantity integer not null check (quantity >= 1),
      primary key (offer_id, line_id),
      foreign key (offer_id, rfq_id) references offers(id, rfq_id) on delete cascade,
      foreign key (line_id, rfq_id) references rfq_lines(id, rfq_id) on delete cascade
    )`.execute(db);

  // A seller's files with its offer (specifications, certificates): seen by the buyer with the offer.
  await sql`
    create table offer_attachments (
      id uuid primary key default gen_random_uuid(),
      offer_id uuid not null,
      rfq_id uuid not null,
      seller_id uuid not null,
      original_name text not null check (length(original_name) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      storage_key text not null unique,
      uploaded_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      foreign key (offer_id, rfq_id, seller_id) references offers(id, rfq_id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index offer_attachments_offer_idx on offer_attachments (offer_id, created_at)`.execute(db);

  // The receipts: every submission, revision and withdrawal, in the RFQ's chain order. the hash is
  // SHA-256 over (previous hash, canonical content, recorded_at); content is the canonical JSON text
  // exactly as hashed, so anyone can recompute the chain.
  await sql`
    create table offer_revisions (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null references rfqs(id) on delete cascade,
      offer_id uuid not null,
      seller_id uuid not null,
      revision integer not null check (revision >= 1),
      kind text not null check (kind in ('submitted', 'revised', 'withdrawn')),
      sequence integer not null check (sequence >= 1),
      content text not null,
      recorded_at timestamptz not null,
      previous_hash text,
      hash text not null check (hash ~ '^[0-9a-f]{64}$'),
      recorded_by uuid references users(id) on delete set null,
      unique (rfq_id, sequence),
      unique (offer_id, revision, kind),
      foreign key (offer_id, rfq_id, seller_id) references offers(id, rfq_id, seller_id) on delete cascade
    )`.execute(db);
  await sql`create index offer_revisions_offer_idx on offer_revisions (offer_id, sequence)`.execute(db);
  await sql`
    create or replace function offer_revisions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'offer_revisions is append-only';
    end $$`.execute(db);
  await sql`
    create trigger offer_revisions_append_only before update on offer_revisions
    for each row execute function offer_revisions_append_only()`.execute(db);

  await sql`
    create table approval_rules (
      id uuid primary key default gen_random_uuid(),
      -- The buyer organisation (root) that owns the rule; branch_id narrows it to one branch.
      buyer_id uuid not null references organizations(id) on delete cascade,
      branch_id uuid references organizations(id) on delete cascade,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      threshold_minor bigint not null check (threshold_minor > 0 and threshold_minor <= 9007199254740991),
      approver_role text not null check (approver_role in ('admin', 'approver')),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index approval_rules_key on approval_rules (buyer_id, coalesce(branch_id, buyer_id), currency, threshold_minor)`.execute(db);

  await sql`
    create table awards (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null,
      buyer_id uuid not null,
      status text not null check (status in ('pending_approval', 'approved', 'rejected')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      total_minor bigint not null check (total_minor > 0),
      note text not null default '' check (length(note) <= 2000),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      foreign key (rfq_id, buyer_id) references rfqs(id, buyer_id) on delete cascade,
      unique (id, rfq_id)
    )`.execute(db);
  // An RFQ is awarded at most once: a second award can only follow a rejected one.
  await sql`create unique index awards_one_live_key on awards (rfq_id) where status <> 'rejected'`.execute(db);

  await sql`
    create table award_lines (
      award_id uuid not null,
      rfq_id uuid not null,
      line_id uuid not null,
      offer_id uuid not null,
      seller_id uuid not null,
      quantity integer not null check (quantity >= 1),
      unit_price_minor bigint not null check (unit_price_minor > 0),
      primary key (award_id, line_id, offer_id),
      foreign key (award_id, rfq_id) references awards(id, rfq_id) on delete cascade,
      foreign key (line_id, rfq_id) references rfq_lines(id, rfq_id) on delete cascade,
      foreign key (offer_id, rfq_id, seller_id) references offers(id, rfq_id, seller_id) on delete cascade
    )`.execute(db);

  await sql`
    create table approvals (
      id uuid primary key default gen_random_uuid(),
      buyer_id uuid not null references organizations(id) on delete cascade,
      subject_kind text not null check (subject_kind in ('award', 'order')),
      subject_id uuid not null,
      rule_id uuid references approval_rules(id) on delete set null,
      approver_role text not null check (approver_role in ('admin', 'approver')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount_minor bigint not null check (amount_minor > 0),
      threshold_minor bigint not null check (threshold_minor > 0),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      requested_by uuid references users(id) on delete set null,
      requested_at timestamptz not null default now(),
      decided_by uuid references users(id) on delete set null,
      decided_at timestamptz,
      comment text not null default '' check (length(comment) <= 2000),
      check (status = 'pending' or decided_at is not null),
      check (decided_by is null or requested_by is null or decided_by <> requested_by)
    )`.execute(db);
  await sql`create unique index approvals_pending_subject_key on approvals (subject_kind, subject_id) where status = 'pending'`.execute(db);
  await sql`create index approvals_buyer_idx on approvals (buyer_id, status, requested_at desc)`.execute(db);

  await sql`
    create table orders (
      id uuid primary key default gen_random_uuid(),
      number bigint generated always as identity unique,
      buyer_id uuid not null references organizations(id) on delete restrict,
      seller_id uuid not null references organizations(id) on delete restrict,
      rfq_id uuid references rfqs(id) on delete restrict,
      award_id uuid references awards(id) on delete restrict,
      status text not null default 'placed'
        check (status in ('placed', 'accepted', 'rejected', 'shipped', 'delivered', 'settled', 'cancelled')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      total_minor bigint not null check (total_minor > 0),
      lead_time_days integer not null default 0 check (lead_time_days >= 0),
      placed_at timestamptz not null default now(),
      -- For the seller's track record: promised vs actual delivery, and disputes.
      expected_delivery_at timestamptz,
      delivered_at timestamptz,
      disputed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, seller_id),
      unique (id, buyer_id)
    )`.execute(db);
  // Orders are created exactly once per awarded seller.
  await sql`create unique index orders_award_seller_key on orders (award_id, seller_id) where award_id is not null`.execute(db);
  await sql`create index orders_buyer_idx on orders (buyer_id, placed_at desc)`.execute(db);
  await sql`create index orders_seller_idx on orders (seller_id, status, placed_at desc)`.execute(db);

  await sql`
    create table order_lines (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null,
      seller_id uuid not null,
      position integer not null check (position >= 0),
      rfq_line_id uuid references rfq_lines(id) on delete restrict,
      listing_id uuid references listings(id) on delete set null,
      description text not null check (length(description) between 1 and 500),
      unit text not null check (length(unit) between 1 and 20),
      quantity integer not null check (quantity >= 1),
      unit_price_minor bigint not null check (unit_price_minor > 0),
      line_total_minor bigint not null check (line_total_minor > 0),
      unique (order_id, position),
      foreign key (order_id, seller_id) references orders(id, seller_id) on delete cascade
    )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "order_lines",
    "orders",
    "approvals",
    "award_lines",
    "awards",
    "approval_rules",
    "offer_revisions",
    "offer_attachments",
    "offer_lines",
    "offers",
    "rfq_questions",
    "rfq_invitations",
    "rfq_attachments",
    "rfq_lines",
    "rfqs",
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists offer_revisions_append_only()`.execute(db);
}
