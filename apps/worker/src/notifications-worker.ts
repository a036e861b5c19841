import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { isDomainError } from "@souk/domain";
import { parseJobPayload, QUEUES, type JobName } from "@souk/jobs";
import { deliverEmailNotification, outboxIdOfJob, sendConversationDigest, type DeliverEmailNotificationDeps, type PublicUrls } from "@souk/services";
import { isFinalFailure, jobFields, runJob } from "./job-observer";
import type { Logger } from "./logger";

/**
 * The notifications queue's consumer: a thin shell that calls the service. Only the job id is
 * used: the job data was redacted for transport, and the service reads the outbox row whose job
 * key the id carries (outboxIdOfJob).
 * A DomainError means the job can never succeed (unknown template, bad parameters, no such outbox
 * row): BullMQ is told not to retry it.
 * Anything else (SMTP down, database down) is retried with the catalogue's backoff.
 */
export function createNotificationsWorker(options: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  deps: DeliverEmailNotificationDeps & { publicUrls: PublicUrls };
  /** CONVERSATION_DIGEST_MINUTES: the delay of conversation.digest jobs. */
  conversationDigestMinutes: number;
  logger: Logger;
  /** Connection errors; while Redis is down they come once per reconnect attempt. */
  onError?: (error: Error) => void;
}): Worker {
  const processJob = (job: Job) => runJob(job, QUEUES.notifications, options.logger, () => handle(job));
  const handle = async (job: Job) => {
    const name = job.name as JobName;
    switch (name) {
      case "notification.email": {
        try {
          const outboxId = await outboxIdOfJob(options.deps.db, job.id);
          return await deliverEmailNotification(options.deps, { outboxId });
        } catch (error) {
          if (isDomainError(error)) throw new UnrecoverableError(`${error.code}: ${error.message} ${JSON.stringify(error.fieldErrors)}`);
          throw error;
        }
      }
      case "conversation.digest": {
        try {
          // Idempotent under the pending row's lock: a retry or a duplicate sends nothing more.
          const { organizationId } = parseJobPayload("conversation.digest", job.data);
          return await sendConversationDigest(options.deps, { organizationId, delayMinutes: options.conversationDigestMinutes });
        } catch (error) {
          if (isDomainError(error)) throw new UnrecoverableError(`${error.code}: ${error.message} ${JSON.stringify(error.fieldErrors)}`);
          throw error;
        }
      }
      default:
        throw new UnrecoverableError(`no handler for job ${String(name)} on queue ${QUEUES.notifications}`);
    }
  };

  const worker = new Worker(QUEUES.notifications, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    autorun: true,
  });
  worker.on("completed", (job, result: unknown) => {
    options.logger.info("job completed", { ...jobFields(job, QUEUES.notifications), result });
  });
  worker.on("failed", (job, error) => {
    options.logger.warn("job failed", { ...jobFields(job, QUEUES.notifications), attemptsMade: job?.attemptsMade, final: isFinalFailure(job, error), error });
  });
  worker.on("error", options.onError ?? ((error: Error) => options.logger.error("notifications worker error", { error })));
  return worker;
}
