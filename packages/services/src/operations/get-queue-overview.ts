import { assertCan } from "@souk/domain";
import { EMPTY_BACKLOG, readOutboxBacklog, type OutboxBacklog } from "@souk/jobs";
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

/** The outbox rows of a queue's jobs that are not in Redis yet (readOutboxBacklog in @souk/jobs). */
export type { OutboxBacklog };

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
    readOutboxBacklog(deps.db),
  ]);
  const countsByQueue = counts ? new Map<QueueName, QueueCounts>(counts) : null;
  return {
    redisReachable: counts !== null,
    queues: QUEUE_NAMES.map((queue) => ({ queue, counts: countsByQueue?.get(queue) ?? null, outbox: backlog.byQueue.get(queue) ?? { ...EMPTY_BACKLOG } })),
    unknownTopics: backlog.unknown,
    checkedAt: backlog.checkedAt,
  };
}
