import { sql } from "kysely";
import type { Db } from "@souk/db";
import { parseJobPayload, type JobName, type JobPayload } from "./catalogue";

export interface WriteOutboxOptions {
  /** Earliest delivery, counted from the database clock. */
  delayMs?: number;
}

/**
 * Records a job to run once the caller's transaction commits. Call it with the transaction handle
 * of the business change: both commit or neither does. The payload is checked here, at the
 * producer, so a bad payload fails the request instead of a job hours later.
 * Returns the outbox id (a bigint as a string).
 */
export async function writeOutbox<N extends JobName>(
  db: Db,
  topic: N,
  payload: JobPayload<N>,
  options: WriteOutboxOptions = {},
): Promise<string> {
  const data = parseJobPayload(topic, payload);
  const delayMs = Math.max(0, Math.trunc(options.delayMs ?? 0));
  const row = await db
    .insertInto("outbox")
    .values({
      topic,
      payload: JSON.stringify(data),
      ...(delayMs > 0 ? { available_at: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})` } : {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * BullMQ job id for an outbox row. BullMQ refuses custom ids that are plain integers (they would
 * collide with its own counter ids) and ids containing ":" (its key separator), so "outbox:42"
 * and "42" are both rejected; "outbox-42" is safe and still reads as where the job came from.
 */
export function outboxJobId(outboxId: string): string {
  return `outbox-${outboxId}`;
}
