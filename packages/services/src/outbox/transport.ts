import { JOBS, outboxJobKey, type JobName, type JobPayload } from "@souk/jobs";
import { notFound, validationError } from "@souk/domain";
import type { Db } from "@souk/db";

/**
 * What of a job's payload may travel through Redis. BullMQ keeps job data long after the job ran
 * (completed jobs a day, failed ones a week: DEFAULT_RETENTION in @souk/jobs) and Redis is
 * snapshotted, replicated and inspected with tools that show job data to anyone looking: a job
 * kind whose payload holds a secret (a one-time link, a token) replaces it here, and its consumer
 * reads the real payload from the outbox row (readOutboxPayload), which stays in PostgreSQL.
 * The result must still satisfy the job's payload schema: the queue validates it again.
 */
export type RedactForTransport<N extends JobName> = (payload: JobPayload<N>) => JobPayload<N>;

/**
 * One entry per job kind, no optional keys: a job added to the catalogue of @souk/jobs does not
 * compile until someone has decided whether its payload holds secrets.
 */
export type TransportRedactions = { readonly [N in JobName]: RedactForTransport<N> };

/** The entry of a job kind whose payload holds nothing secret: it travels as written. */
export function noSecrets<P>(payload: P): P {
  return payload;
}

/**
 * The payload of an outbox row as its producer wrote it (or as its consumer left it: a consumer
 * may scrub secrets from it once they are used). For the consumer of a job whose data was
 * redacted for transport. `forUpdate` locks the row for the rest of the caller's transaction:
 * deliveries of one row then take turns, and one that starts while the relay still holds the row
 * (claimed, enqueued, not yet committed) waits for it.
 * A missing row, a row of another topic or a payload its schema refuses can never succeed: they
 * are DomainErrors, which the worker does not retry.
 */
export async function readOutboxPayload<N extends JobName>(
  db: Db,
  topic: N,
  outboxId: string,
  options: { forUpdate?: boolean } = {},
): Promise<JobPayload<N>> {
  const row = await db
    .selectFrom("outbox")
    .select(["topic", "payload"])
    .where("id", "=", outboxId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound(`Outbox row ${outboxId}`);
  if (row.topic !== topic) throw validationError({ topic: ["topic.mismatch"] }, `Outbox row ${outboxId} is a ${row.topic} job, not ${topic}`);
  const parsed = JOBS[topic].payload.safeParse(row.payload);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [`payload.${issue.path.join(".")}`, ["payload.invalid"]]));
    throw validationError(fields, `Outbox row ${outboxId} holds an invalid ${topic} payload`);
  }
  return parsed.data as JobPayload<N>;
}

/**
 * The outbox row a job came from, for its consumer: job ids are built from the row's random
 * `job_key` (outboxJobId in @souk/jobs). A job id that is not an outbox one, or whose key names no
 * row (a job left in Redis from before a database restore), can never succeed: DomainErrors, which
 * the worker does not retry. Resolving by key rather than trusting a bigint id means such a stale
 * job never acts on a newer row that reuses its id.
 */
export async function outboxIdOfJob(db: Db, jobId: string | undefined): Promise<string> {
  const jobKey = outboxJobKey(jobId);
  if (!jobKey) throw validationError({ jobId: ["jobId.invalid"] }, `Job ${String(jobId)} does not come from the outbox`);
  const row = await db.selectFrom("outbox").select("id").where("job_key", "=", jobKey).executeTakeFirst();
  if (!row) throw notFound(`Outbox row of job ${String(jobId)}`);
  return String(row.id);
}
