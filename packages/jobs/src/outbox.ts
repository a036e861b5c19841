import { sql } from "kysely";
import type { Db } from "@souk/db";
import { parseJobPayload, type JobName, type JobPayload } from "./catalogue";
import { currentRequestId } from "./observability/request-context";

export interface WriteOutboxOptions {
  /** Earliest delivery, counted from the database clock. */
  delayMs?: number;
  /** Earliest delivery as an instant (an RFQ's deadline); overrides `delayMs`. */
  availableAt?: Date;
}

/**
 * Records a job to run once the caller's transaction commits. Call it with the transaction handle
 * of the business change: both commit or neither does. The payload is checked here, at the
 * producer, so a bad payload fails the request instead of a job hours later.
 * The row keeps the current request id (an HTTP request's, or the job's that writes it), which the
 * relay puts on the job: the worker's log lines of that job then carry it (decision 0018).
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
      request_id: currentRequestId(),
      ...(options.availableAt
        ? { available_at: options.availableAt }
        : delayMs > 0
          ? { available_at: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})` }
          : {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * BullMQ job id for an outbox row, from its `job_key` (a random uuid, migration 0004), not its
 * bigint id: Redis outlives a database restore or a recreated database, and a new row reusing an
 * id whose job BullMQ still holds (completed jobs are kept a day, failed ones a week) would be
 * silently dropped by `Queue.add`. BullMQ refuses custom ids that are plain integers and ids
 * containing ":" (its key separator); "outbox-<uuid>" is neither and still reads as where the job
 * came from. The consumer finds the row again from the key (outboxJobKey).
 */
export function outboxJobId(jobKey: string): string {
  return `outbox-${jobKey}`;
}

const OUTBOX_JOB_ID = /^outbox-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The outbox `job_key` a job id was built from (outboxJobId), or null for a job not from the outbox. */
export function outboxJobKey(jobId: string | undefined): string | null {
  return OUTBOX_JOB_ID.exec(jobId ?? "")?.[1] ?? null;
}
