import { type Kysely, sql } from "kysely";

/**
 * Identity, sessions, audit trail and the plumbing tables (outbox, notifications).
 * Migrations take `Kysely<any>` on purpose: they must keep compiling when the schema types move on.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists citext`.execute(db);

  await sql`
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('buyer', 'seller', 'operator')),
      name text not null check (length(btrim(name)) between 1 and 200),
      status text not null check (status in ('pending', 'active', 'suspended', 'rejected')),
      parent_id uuid references organizations(id) on delete restrict,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- only buyer organisations have branches, and a branch belongs to a buyer of its own kind
      check (parent_id is null or kind = 'buyer'),
      check (parent_id is null or parent_id <> id)
    )`.execute(db);
  await sql`create index organizations_parent_idx on organizations (parent_id) where parent_id is not null`.execute(db);
  await sql`create index organizations_kind_status_idx on organizations (kind, status)`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique check (length(email) between 3 and 254),
      name text not null check (length(btrim(name)) between 1 and 200),
      password_hash text not null,
      locale text not null default 'en' check (locale in ('en', 'fr')),
      created_at timestamptz not null default now(),
      password_changed_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table memberships (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      role text not null,
      created_at timestamptz not null default now(),
      unique (organization_id, user_id)
    )`.execute(db);
  await sql`create index memberships_user_idx on memberships (user_id)`.execute(db);

  await sql`
    create table invitations (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      email citext not null,
      role text not null,
      token_hash text not null unique,
      invited_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index invitations_org_idx on invitations (organization_id)`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      app text not null check (app in ('buyer', 'seller', 'operator')),
      active_organization_id uuid references organizations(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table sign_in_throttle (
      key text primary key,
      failures integer not null default 0,
      window_started_at timestamptz not null default now(),
      locked_until timestamptz
    )`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_user_id uuid references users(id) on delete set null,
      actor_organization_id uuid references organizations(id) on delete set null,
      organization_id uuid references organizations(id) on delete set null,
      action text not null,
      target_type text,
      target_id text,
      ip text,
      reason text,
      data jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index audit_log_occurred_idx on audit_log (occurred_at desc)`.execute(db);
  await sql`create index audit_log_org_idx on audit_log (organization_id, occurred_at desc)`.execute(db);
  await sql`create index audit_log_actor_idx on audit_log (actor_user_id, occurred_at desc)`.execute(db);
  // Append-only: the table refuses updates and deletes whoever asks (foreign-key "set null" aside,
  // which cannot happen because users and organisations are never deleted while audited).
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);

  await sql`
    create table outbox (
      id bigint generated always as identity primary key,
      topic text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      available_at timestamptz not null default now(),
      sent_at timestamptz,
      attempts integer not null default 0,
      last_error text
    )`.execute(db);
  await sql`create index outbox_pending_idx on outbox (available_at, id) where sent_at is null`.execute(db);

  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      outbox_id bigint unique references outbox(id),
      organization_id uuid references organizations(id) on delete cascade,
      user_id uuid references users(id) on delete cascade,
      channel text not null check (channel in ('email', 'in_app')),
      template text not null,
      locale text not null default 'en',
      to_address text,
      subject text not null,
      body text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      read_at timestamptz
    )`.execute(db);
  await sql`create index notifications_user_idx on notifications (user_id, created_at desc)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["notifications", "outbox", "audit_log", "sign_in_throttle", "sessions", "invitations", "memberships", "users", "organizations"]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists audit_log_append_only()`.execute(db);
}
