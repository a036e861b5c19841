import { type Kysely, sql } from "kysely";

/**
 * Negotiation, conversations and budgets.
 *
 * - Counter-proposals: the buyer asks one seller, line by line, for a target unit price and/or
 *   quantity with a response deadline; the seller accepts (its offer takes those terms), declines
 *   with a reason, or answers with a revised offer. A proposal's terms never change once written
 *   (only its answer is filled in, once); every change to the offer itself is a receipt of the
 *   RFQ's chain, so the chain covers every round.
 * - Best and final: a closed RFQ reopens as `final_round` for a shortlist of sellers with a new
 *   deadline; the first round's deadline is kept. Afterwards only the shortlist's offers are compared.
 * - Conversations between one buyer organisation and one seller organisation about a listing, an
 *   RFQ or an order; messages with attachments; per-user read marks; one pending e-mail digest per
 *   recipient organisation; reports that let a moderator read the thread.
 * - Budgets per branch or per member, per currency, per month or quarter; approvals gain levels
 *   (a two-level chain) and a reason (the threshold rule or a budget).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // ---- Best and final round -------------------------------------------------------------------
  await sql`alter table rfqs drop constraint rfqs_status_check`.execute(db);
  await sql`alter table rfqs add constraint rfqs_status_check check (status in ('draft', 'open', 'closed', 'final_round', 'awarded', 'cancelled'))`.execute(db);
  await sql`
    alter table rfqs
      add column first_deadline timestamptz,
      add column final_opened_at timestamptz,
      add column final_opened_by uuid references users(id) on delete set null,
      add constraint rfqs_final_round_check check ((final_opened_at is null) = (first_deadline is null))`.execute(db);
  await sql`create index rfqs_final_due_idx on rfqs (deadline) where status = 'final_round'`.execute(db);
  await sql`
    create table rfq_final_sellers (
      rfq_id uuid not null references rfqs(id) on delete cascade,
      seller_id uuid not null references organizations(id) on delete cascade,
      primary key (rfq_id, seller_id)
    )`.execute(db);
  await sql`create index rfq_final_sellers_seller_idx on rfq_final_sellers (seller_id)`.execute(db);

  // ---- Counter-proposals ----------------------------------------------------------------------
  await sql`
    create table offer_counters (
      id uuid primary key default gen_random_uuid(),
      rfq_id uuid not null,
      offer_id uuid not null,
      seller_id uuid not null,
      buyer_id uuid not null,
      -- 1, 2, ... per offer: the negotiation round.
      round integer not null check (round >= 1),
      message text not null default '' check (length(message) <= 2000),
      respond_by timestamptz not null,
      -- The offer's revision the proposal was made against.
      offer_revision integer not null check (offer_revision >= 1),
      status text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'revised', 'expired', 'superseded')),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      answered_by uuid references users(id) on delete set null,
      answered_at timestamptz,
      decline_reason text check (length(decline_reason) between 1 and 2000),
      -- The offer revision the answer produced (accepted or revised).
      answer_revision integer,
      check (respond_by > created_at),
      check ((status in ('pending', 'expired', 'superseded')) = (answered_at is null)),
      check ((status = 'declined') = (decline_reason is not null)),
      check ((status in ('accepted', 'revised')) = (answer_revision is not null)),
      unique (offer_id, round),
      unique (id, rfq_id),
      foreign key (offer_id, rfq_id, seller_id) references offers(id, rfq_id, seller_id) on delete cascade,
      foreign key (rfq_id, buyer_id) references rfqs(id, buyer_id) on delete cascade
    )`.execute(db);
  await sql`create unique index offer_counters_one_pending_key on offer_counters (offer_id) where status = 'pending'`.execute(db);
  await sql`create index offer_counters_rfq_idx on offer_counters (rfq_id, created_at)`.execute(db);
  await sql`create index offer_counters_seller_idx on offer_counters (seller_id, status, respond_by)`.execute(db);
  await sql`
    create table offer_counter_lines (
      counter_id uuid not null,
      rfq_id uuid not null,
      line_id uuid not null,
      -- The offer's terms when the proposal was made, and what the buyer asks.
      previous_unit_price_minor bigint not null check (previous_unit_price_minor > 0),
      previous_quantity integer not null check (previous_quantity >= 1),
      target_unit_price_minor bigint check (target_unit_price_minor > 0 and target_unit_price_minor <= 9007199254740991),
      target_quantity integer check (target_quantity >= 1),
      check (target_unit_price_minor is not null or target_quantity is not null),
      primary key (counter_id, line_id),
      foreign key (counter_id, rfq_id) references offer_counters(id, rfq_id) on delete cascade,
      foreign key (line_id, rfq_id) references rfq_lines(id, rfq_id) on delete cascade
    )`.execute(db);
  // The proposal is a record: its lines never change, and the proposal itself only takes its answer.
  await sql`
    create or replace function offer_counters_guard() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'offer_counter_lines' then
        raise exception 'offer_counter_lines is append-only';
      end if;
      if new.rfq_id <> old.rfq_id or new.offer_id <> old.offer_id or new.seller_id <> old.seller_id or new.buyer_id <> old.buyer_id
        or new.round <> old.round or new.message <> old.message or new.respond_by <> old.respond_by
        or new.offer_revision <> old.offer_revision or new.created_at <> old.created_at or old.status <> 'pending' then
        raise exception 'a counter-proposal only takes its answer, once';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger offer_counters_guard before update on offer_counters for each row execute function offer_counters_guard()`.execute(db);
  await sql`create trigger offer_counter_lines_guard before update on offer_counter_lines for each row execute function offer_counters_guard()`.execute(db);

  // ---- Conversations --------------------------------------------------------------------------
  await sql`
    create table conversations (
      id uuid primary key default gen_random_uuid(),
      buyer_id uuid not null references organizations(id) on delete cascade,
      seller_id uuid not null references organizations(id) on delete cascade,
      subject_kind text not null check (subject_kind in ('listing', 'rfq', 'order')),
      subject_id uuid not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      last_message_at timestamptz not null default now(),
      unique (buyer_id, seller_id, subject_kind, subject_id),
      unique (id, buyer_id, seller_id)
    )`.execute(db);
  await sql`create index conversations_buyer_idx on conversations (buyer_id, last_message_at desc)`.execute(db);
  await sql`create index conversations_seller_idx on conversations (seller_id, last_message_at desc)`.execute(db);
  await sql`
    create table conversation_messages (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversations(id) on delete cascade,
      -- Which side wrote it: the buyer or the seller organisation of the conversation.
      author_side text not null check (author_side in ('buyer', 'seller')),
      author_user_id uuid references users(id) on delete set null,
      body text not null check (length(body) between 1 and 5000),
      created_at timestamptz not null default now(),
      unique (id, conversation_id)
    )`.execute(db);
  await sql`create index conversation_messages_idx on conversation_messages (conversation_id, created_at)`.execute(db);
  await sql`
    create table conversation_attachments (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null,
      message_id uuid not null,
      original_name text not null check (length(original_name) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      storage_key text not null unique,
      created_at timestamptz not null default now(),
      foreign key (message_id, conversation_id) references conversation_messages(id, conversation_id) on delete cascade
    )`.execute(db);
  await sql`create index conversation_attachments_idx on conversation_attachments (conversation_id)`.execute(db);
  // Per user: what it has read. Unread = the other side's messages after last_read_at.
  await sql`
    create table conversation_reads (
      conversation_id uuid not null references conversations(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      last_read_at timestamptz not null,
      primary key (conversation_id, user_id)
    )`.execute(db);
  // Per user: up to when its last digest e-mail told it about unread messages.
  await sql`
    create table conversation_digest_marks (
      user_id uuid not null references users(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      digested_until timestamptz not null,
      primary key (user_id, organization_id)
    )`.execute(db);
  // At most one digest waiting per recipient organisation: the first message after a digest writes
  // the row and the outbox job; the messages after it until the job runs ride on that one.
  await sql`
    create table conversation_digest_pending (
      organization_id uuid primary key references organizations(id) on delete cascade,
      due_at timestamptz not null
    )`.execute(db);
  await sql`
    create table conversation_reports (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversations(id) on delete cascade,
      reported_by_org uuid not null references organizations(id) on delete cascade,
      reported_by uuid references users(id) on delete set null,
      reason text not null check (length(reason) between 1 and 2000),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index conversation_reports_idx on conversation_reports (conversation_id)`.execute(db);

  // ---- Budgets and approval chains ------------------------------------------------------------
  await sql`
    create table budgets (
      id uuid primary key default gen_random_uuid(),
      -- The root buyer organisation that owns the budget.
      buyer_id uuid not null references organizations(id) on delete cascade,
      -- Exactly one scope: an organisation of the tree (the root or a branch), or one member.
      organization_id uuid references organizations(id) on delete cascade,
      user_id uuid references users(id) on delete cascade,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount_minor bigint not null check (amount_minor > 0 and amount_minor <= 9007199254740991),
      period text not null check (period in ('month', 'quarter')),
      on_exceed text not null check (on_exceed in ('approval', 'refuse')),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((organization_id is null) <> (user_id is null))
    )`.execute(db);
  await sql`create unique index budgets_scope_key on budgets (buyer_id, coalesce(organization_id, user_id), currency, period)`.execute(db);

  await sql`
    alter table approvals
      add column level smallint not null default 1 check (level in (1, 2)),
      add column reason text not null default 'threshold' check (reason in ('threshold', 'budget')),
      add column budget_id uuid references budgets(id) on delete set null,
      -- Level 1 carries the second level frozen at request time (the rule and its role), if any.
      add column next_rule_id uuid references approval_rules(id) on delete set null,
      add column next_approver_role text check (next_approver_role in ('admin', 'approver')),
      -- Level 2: who decided level 1 (the same person cannot decide both levels).
      add column previous_decided_by uuid references users(id) on delete set null,
      add constraint approvals_two_deciders_check check (decided_by is null or previous_decided_by is null or decided_by <> previous_decided_by),
      add constraint approvals_next_level_check check ((level = 1) or (next_approver_role is null))`.execute(db);

  // ---- Best and final round (N2): what the first round's close left, for the sellers off the shortlist
  // While a final round runs, the sellers off its shortlist must keep seeing the RFQ exactly as the
  // first close left it: its anti-sniping extensions (the round has its own count in `extensions`)
  // and the receipts chain (its length then; the head is that receipt's hash).
  await sql`
    alter table rfqs
      add column first_extensions integer check (first_extensions >= 0),
      add column first_chain_length integer check (first_chain_length >= 0),
      add constraint rfqs_final_round_first_check check ((first_deadline is null) = (first_extensions is null) and (first_deadline is null) = (first_chain_length is null))`.execute(db);

  // ---- Conversations (C): one report per thread and reporting organisation (conversation.already_reported)
  await sql`create unique index conversation_reports_org_unique on conversation_reports (conversation_id, reported_by_org)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists conversation_reports_org_unique`.execute(db);
  await sql`
    alter table approvals
      drop column level, drop column reason, drop column budget_id, drop column next_rule_id,
      drop column next_approver_role, drop column previous_decided_by`.execute(db);
  for (const table of [
    "budgets",
    "conversation_reports",
    "conversation_digest_pending",
    "conversation_digest_marks",
    "conversation_reads",
    "conversation_attachments",
    "conversation_messages",
    "conversations",
    "offer_counter_lines",
    "offer_counters",
    "rfq_final_sellers",
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists offer_counters_guard()`.execute(db);
  await sql`alter table rfqs drop column first_deadline, drop column final_opened_at, drop column final_opened_by, drop column first_extensions, drop column first_chain_length`.execute(db);
  await sql`alter table rfqs drop constraint rfqs_status_check`.execute(db);
  await sql`alter table rfqs add constraint rfqs_status_check check (status in ('draft', 'open', 'closed', 'awarded', 'cancelled'))`.execute(db);
}
