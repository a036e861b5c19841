import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { InvalidJobPayloadError, JOBS, UnknownJobError, isJobName } from "@souk/jobs";
import { parseInput } from "../input";
import { redactForTransport } from "./transport-redactions";

/**
 * What the relay hands to the queue: the worker passes `enqueueOutboxJob` from @souk/jobs. The
 * payload is the row's, redacted for transport (TRANSPORT_REDACTIONS): never a secret.
 */
export interface OutboxJob {
  outboxId: string;
  /** The row's random job key: the BullMQ job id is built from it (outboxJobId), never from the bigint id. */
  jobKey: string;
  topic: string;
  payload: unknown;
  /** The request that wrote the row (outbox.request_id): the job carries it for the worker's logs. */
  requestId: string | null;
}

export interface RelayOutboxDeps {
  db: Db;
  enqueue: (job: OutboxJob) => Promise<unknown>;
  /**
   * Adds many jobs in one round trip (the worker passes `enqueueOutboxJobs`, BullMQ's addBulk, job
   * ids from the job keys as `enqueue`'s). When given, a batch's rows go in one call; `enqueue`
   * stays the fallback when that call refuses a row (unknown job, payload the schema refuses), so
   * that row is parked alone.
   */
  enqueueBulk?: (jobs: OutboxJob[]) => Promise<unknown>;
}

export const relayOutboxInput = z.object({
  batchSize: z.number().int().min(1).max(1_000).default(100),
});

export interface RelayOutboxResult {
  /** Rows enqueued and marked sent. */
  sent: number;
  /** Rows whose enqueue failed (Redis unreachable); retried after a backoff. */
  failed: number;
  /** Rows that can never be enqueued (unknown topic, payload the schema refuses); left for a human. */
  parked: number;
}

/** Retry delay after the n-th failed enqueue of a row: 1 s, 2 s, 4 s, ... capped at 1 min. */
export const RELAY_BACKOFF = { baseMs: 1_000, capMs: 60_000 } as const;

export function relayBackoffMs(attempts: number): number {
  return Math.min(RELAY_BACKOFF.baseMs * 2 ** Math.max(0, attempts - 1), RELAY_BACKOFF.capMs);
}

const MAX_ERROR_LENGTH = 1_000;

/**
 * Moves due outbox rows to the queue. Each batch runs in one transaction:
 * - rows are claimed `FOR UPDATE SKIP LOCKED`, so relays running at once (several worker
 *   processes) each take different rows and never enqueue a row twice;
 * - each row is enqueued (all of them in one round trip with `enqueueBulk`), then all enqueued
 *   rows get `sent_at` before commit.
 * If the process dies after an enqueue but before the commit, the row is claimed again later and
 * re-enqueued under the same job id, which BullMQ ignores while it still holds that job (see
 * DEFAULT_RETENTION in @souk/jobs): delivery is at least once and consumers are idempotent.
 * The job id comes from the row's random `job_key`, not its bigint id: after a database restore
 * (Redis kept) a new row reusing an old id is still a new job instead of a silently ignored add.
 * What is enqueued is the payload redacted for transport (see RedactForTransport): Redis keeps job
 * data for days, so a secret in it would outlive its use. A consumer whose topic declares secrets
 * reads the real payload from the outbox row by id (readOutboxPayload); a re-added row then finds
 * the work done (deliverEmailNotification has scrubbed the row's secrets when it sent them) and does
 * nothing.
 * A row whose redaction throws is parked, never enqueued as it stands.
 * A failed enqueue means Redis is most likely down: the row keeps its place (attempts, last error,
 * later `available_at`) and the batch stops rather than failing every remaining row the same way.
 * Rows that can never succeed are parked (`available_at = 'infinity'`) instead of retried forever;
 * after fixing the cause, `update outbox set available_at = now() where id = ...` releases one.
 */
export async function relayOutbox(deps: RelayOutboxDeps, input: { batchSize?: number } = {}): Promise<RelayOutboxResult> {
  const { batchSize } = parseInput(relayOutboxInput, input);
  return withTransaction(deps.db, async (trx) => {
    const rows = await trx
      .selectFrom("outbox")
      .select(["id", "job_key", "topic", "payload", "attempts", "request_id"])
      .where("sent_at", "is", null)
      .where("available_at", "<=", sql<Date>`now()`)
      .orderBy("id")
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();

    const result: RelayOutboxResult = { sent: 0, failed: 0, parked: 0 };
    const sentIds: string[] = [];
    const park = async (id: string, reason: string) => {
      await trx
        .updateTable("outbox")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: truncate(reason), available_at: "infinity" }))
        .where("id", "=", id)
        .execute();
      result.parked += 1;
    };

    // Every row checked first: those that can never be enqueued are parked, the others prepared.
    const ready: { id: string; attempts: number; job: OutboxJob }[] = [];
    for (const row of rows) {
      const id = String(row.id);
      if (!isJobName(row.topic)) {
        await park(id, `unknown topic ${row.topic}`);
        continue;
      }
      const parsed = JOBS[row.topic].payload.safeParse(row.payload);
      if (!parsed.success) {
        await park(id, `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
        continue;
      }
      let payload: unknown;
      try {
        payload = redactForTransport(row.topic, parsed.data);
      } catch (error) {
        await park(id, `cannot redact the payload for transport: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      ready.push({ id, attempts: row.attempts, job: { outboxId: id, jobKey: row.job_key, topic: row.topic, payload, requestId: row.request_id } });
    }

    const failed = async (row: (typeof ready)[number], error: unknown) => {
      const attempts = row.attempts + 1;
      await trx
        .updateTable("outbox")
        .set({
          attempts,
          last_error: truncate(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
          available_at: sql<Date>`now() + make_interval(secs => ${relayBackoffMs(attempts) / 1000})`,
        })
        .where("id", "=", row.id)
        .execute();
      result.failed += 1;
    };

    let oneByOne = !deps.enqueueBulk;
    if (deps.enqueueBulk && ready.length > 0) {
      try {
        await deps.enqueueBulk(ready.map((r) => r.job));
        sentIds.push(...ready.map((r) => r.id));
      } catch (error) {
        // A row the job catalogue refuses: one by one, so that row alone is parked.
        if (error instanceof InvalidJobPayloadError || error instanceof UnknownJobError) oneByOne = true;
        // Redis is most likely down: as one by one, the first row takes the failure and the batch stops.
        else await failed(ready[0]!, error);
      }
    }
    if (oneByOne) {
      for (const row of ready) {
        try {
          await deps.enqueue(row.job);
          sentIds.push(row.id);
        } catch (error) {
          if (error instanceof InvalidJobPayloadError || error instanceof UnknownJobError) {
            await park(row.id, error.message);
            continue;
          }
          await failed(row, error);
          break;
        }
      }
    }

    if (sentIds.length > 0) {
      await trx.updateTable("outbox").set({ sent_at: sql<Date>`now()` }).where("id", "in", sentIds).execute();
      result.sent = sentIds.length;
    }
    return result;
  });
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
