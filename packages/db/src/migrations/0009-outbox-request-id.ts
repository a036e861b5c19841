import { type Kysely, sql } from "kysely";

/**
 * The request id of the HTTP request (or of the job) that wrote an outbox row, so the relay can put
 * it on the job and the worker's log lines of that job can be found from the request's (decision
 * 0018). Nullable: rows written outside a request (the worker's timers, the CLI) have none, and the
 * rows already there keep none. No index: it is read with the row, never searched by.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column request_id text`.execute(db);
  // Bounded like the incoming header it comes from (requestIdFrom in @souk/jobs). Added NOT VALID,
  // then validated: the outbox only grows, and validating in the same statement would scan it under
  // the ACCESS EXCLUSIVE lock that blocks every write to it; VALIDATE takes a lock that does not.
  await sql`alter table outbox add constraint outbox_request_id_length check (length(request_id) between 1 and 128) not valid`.execute(db);
  await sql`alter table outbox validate constraint outbox_request_id_length`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop column request_id`.execute(db);
}
