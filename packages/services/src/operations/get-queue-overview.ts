import { sql } from "kysely";
import type { Db } from "@souk/db";
import { assertCan } from "@souk/domain";
import { isJobName, JOBS } from "@souk/jobs";
import type { ActorDeps } from "../deps";
import { readRedis, type JobsDeps } from "./jobs-deps";
import { QUEUE_NAMES, type QueueName } from "./shared";

/** BullMQ's counts of one queue. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** The outbox rows of a queue's jobs that are not in Redis yet. */
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

export interface QueueOverviewRow {
  queue: QueueName;
  /** null when Redis could not be read. */
  counts: QueueCounts | null;
  outbox: OutboxBacklog;
}

export interface QueueOverview {
  /** Whether Redis answered; the outbox figures come from PostgreSQL and are always there. */
  redisReachable: boolean;
  queues: QueueOverviewRow[];
  /** Unsent rows whose topic is no job of the catalogue (parked by the relay). */
  unknownTopics: OutboxBacklog;
  /** When the figures were read (database clock). */
  checkedAt: string;
}

const EMPTY_BACKLOG: OutboxBacklog = { pending: 0, scheduled: 0, parked: 0, oldestPendingSeconds: null };

/**
 * The operator's view of the queues: per queue, BullMQ's counts (waiting, active, delayed, failed,
 * completed) and what the outbox still holds for it. A change committed while Redis is down waits in
 * the outbox, so the outbox backlog is the first thing to look at when jobs seem not to run.
 */
export async function getQueueOverview(deps: ActorDeps & JobsDeps, _input: unknown = {}): Promise<QueueOverview> {
  assertCan(deps.actor, "manage:jobs:any");
  const { queues } = deps;
  const [counts, backlog] = await Promise.all([
    readRedis(queues, () =>
      Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const c = await queues.byName[name].getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized", "waiting-children");
          const n = (key: string) => c[key] ?? 0;
          // Prioritised jobs and parents waiting for their children are waiting too, from an operator's point of view.
          return [name, { waiting: n("waiting") + n("prioritized") + n("waiting-children"), active: n("active"), delayed: n("delayed"), failed: n("failed"), completed: n("completed") }] as const;
        }),
      ),
    ),
    outboxBacklog(deps.db),
  ]);
  const countsByQueue = counts ? new Map<QueueName, QueueCounts>(counts) : null;
  return {
    redisReachable: counts !== null,
    queues: QUEUE_NAMES.map((queue) => ({ queue, counts: countsByQueue?.get(queue) ?? null, outbox: backlog.byQueue.get(queue) ?? { ...EMPTY_BACKLOG } })),
    unknownTopics: backlog.unknown,
    checkedAt: backlog.checkedAt,
  };
}

async function outboxBacklog(db: Db): Promise<{ byQueue: Map<QueueName, OutboxBacklog>; unknown: OutboxBacklog; checkedAt: string }> {
  // The outbox only holds a few rows when all is well (sent rows aside, which the partial index skips).
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
    const target = isJobName(row.topic) ? (byQueue.get(JOBS[row.topic].queue) ?? { ...EMPTY_BACKLOG }) : unknown;
    target.pending += Number(row.pending);
    target.scheduled += Number(row.scheduled);
    target.parked += Number(row.parked);
    if (row.oldest !== null) {
      const seconds = Math.max(0, Math.floor(Number(row.oldest)));
      target.oldestPendingSeconds = Math.max(target.oldestPendingSeconds ?? 0, seconds);
    }
    if (isJobName(row.topic)) byQueue.set(JOBS[row.topic].queue, target);
  }
  return { byQueue, unknown, checkedAt: new Date(now).toISOString() };
}
