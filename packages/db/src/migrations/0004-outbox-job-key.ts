import { type Kysely, sql } from "kysely";

/**
 * The BullMQ job id of an outbox row used to be derived from its bigint id. Redis outlives a
 * database restore (or a recreated database): new rows then reuse ids whose jobs BullMQ still
 * holds, and adding them is a silent no-op. A random key per row cannot be reused that way.
 * Existing rows get a key from the default as the column is added.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column job_key uuid not null default gen_random_uuid()`.execute(db);
  await sql`create unique index outbox_job_key_key on outbox (job_key)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop column job_key`.execute(db);
}
