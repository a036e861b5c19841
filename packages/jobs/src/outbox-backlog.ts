import { sql } from "kysely";
import type { Db } from "@souk/db";
import { isJobName, JOBS } from "./catalogue";
import type { QueueName } from "./queues";

/** The outbox rows of one queue's jobs that are not in Redis yet. */
export interface OutboxBacklog {
  /** Rows due now, or backing off after a failed enqueue: what the relay should be moving. */
  pending: number;
  /** Rows whose time has not come (an RFQ's close at its deadline), never tried yet. */
  scheduled: number;
  /** Rows the relay gave up on (unknown topic, invalid payload), waiting for a human. */
  parked: number;
  /**
   * Age of the oldest pending row, in seconds: counted from the moment it became due (a row that
   * failed to enqueue counts from its creation, as its due time was pushed back by the backoff).
   * null when nothing is pending.
   */
  oldestPendingSeconds: number | null;
}

export interface OutboxBacklogReading {
  /** Per queue; only the queues with unsent rows. */
  byQueue: Map<QueueName, OutboxBacklog>;
  /** Unsent rows whose topic is no job of the catalogue (parked by the relay). */
  unknown: OutboxBacklog;
  /** When the figures were read (database clock). */
  checkedAt: string;
}

export const EMPTY_BACKLOG: Readonly<OutboxBacklog> = { pending: 0, scheduled: 0, parked: 0, oldestPendingSeconds: null };

/**
 * The outbox backlog: the one definition read by the operator's System health page and by the
 * `/metrics` gauges. Cheap enough for every scrape: unsent rows only, which the partial index
 * outbox_pending_idx holds, and there are few of them when all is well.
 */
export async function readOutboxBacklog(db: Db): Promise<OutboxBacklogReading> {
  const rows = await db
    .selectFrom("outbox")
    .select([
      "topic",
      sql<string>`count(*) filter (where available_at = 'infinity')`.as("parked"),
      sql<string>`count(*) filter (where available_at > now() and available_at <> 'infinity' and attempts = 0)`.as("scheduled"),
      sql<string>`count(*) filter (where available_at <= now() or (attempts > 0 and available_at <> 'infinity'))`.as("pending"),
      sql<string | null>`extract(epoch from now() - min(case when attempts = 0 then greatest(created_at, available_at) else created_at end)
        filter (where available_at <= now() or (attempts > 0 and available_at <> 'infinity')))::text`.as("oldest"),
    ])
    .where("sent_at", "is", null)
    .groupBy("topic")
    .execute();
  const { now } = await db.selectNoFrom(sql<Date>`now()`.as("now")).executeTakeFirstOrThrow();
  const byQueue = new Map<QueueName, OutboxBacklog>();
  const unknown: OutboxBacklog = { ...EMPTY_BACKLOG };
  for (const row of rows) {
    const queue = isJobName(row.topic) ? JOBS[row.topic].queue : null;
    const target = queue ? (byQueue.get(queue) ?? { ...EMPTY_BACKLOG }) : unknown;
    target.pending += Number(row.pending);
    target.scheduled += Number(row.scheduled);
    target.parked += Number(row.parked);
    if (row.oldest !== null) {
      const seconds = Math.max(0, Math.floor(Number(row.oldest)));
      target.oldestPendingSeconds = Math.max(target.oldestPendingSeconds ?? 0, seconds);
    }
    if (queue) byQueue.set(queue, target);
  }
  return { byQueue, unknown, checkedAt: new Date(now).toISOString() };
}
