import { z } from "zod";
import { QUEUES, type QueueName } from "./queues";

const HOUR_SECONDS = 60 * 60;
const DAY_SECONDS = 24 * HOUR_SECONDS;

/** How long finished jobs stay in Redis, in seconds (BullMQ `removeOnComplete/Fail: { age }`). */
export interface JobRetention {
  completedSeconds: number;
  failedSeconds: number;
}

/**
 * Completed jobs are kept 24 h because the job id doubles as the de-duplication key: BullMQ ignores
 * an add whose id already exists, but only while that job is still stored. The relay re-adds a row
 * when its claim did not commit after the add reached Redis (crash, lost PostgreSQL connection, an
 * add that timed out yet landed); that re-add happens on the next relay pass, or once PostgreSQL is
 * back, so 24 h covers any outage we expect to ride out. No `count` cap on purpose: under a burst a
 * count would evict exactly the recent jobs the de-duplication needs. Consumers are idempotent on
 * the outbox row anyway; this keeps the duplicate from even being queued. The job id comes from the
 * row's random job key (outboxJobId), so a database restored behind Redis's back cannot make a new
 * row collide with a job kept here. Failed jobs stay a week so
 * someone can look at them and retry by hand.
 */
export const DEFAULT_RETENTION: JobRetention = {
  completedSeconds: DAY_SECONDS,
  failedSeconds: 7 * DAY_SECONDS,
};

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  payload: S;
  /** Total tries, first one included. */
  attempts: number;
  /** Delay before retry n is `delay * 2^(n-1)` ms for exponential. */
  backoff: { type: "exponential" | "fixed"; delay: number };
  retention?: JobRetention;
}

// Keeps the queue's literal type, so the catalogue can tell which jobs are domain events (EventName).
function defineJob<S extends z.ZodType, Q extends QueueName>(definition: JobDefinition<S> & { queue: Q }): JobDefinition<S> & { queue: Q } {
  return definition;
}

export const LOCALES = ["en", "fr"] as const;

export const notificationEmailPayload = z.object({
  template: z.string().min(1).max(100),
  locale: z.enum(LOCALES),
  to: z.email().max(254),
  userId: z.uuid().nullish(),
  organizationId: z.uuid().nullish(),
  params: z.record(z.string(), z.string()),
});

/** A `seller_decisions.id` (bigint): what an event's consumers de-duplicate on. */
const decisionId = z.string().regex(/^[1-9][0-9]{0,18}$/);
/** When the decision was taken, by the database clock. */
const occurredAt = z.iso.datetime({ offset: true });

/** An operator suspended an active seller: its listings leave search, its open offers are withdrawn, its payouts are held. */
export const sellerSuspendedPayload = z.object({
  organizationId: z.uuid(),
  decisionId,
  reason: z.string().trim().min(1).max(2_000),
  at: occurredAt,
});

/** An operator reinstated a suspended seller: its published listings return to search, its payouts are released. */
export const sellerReinstatedPayload = z.object({
  organizationId: z.uuid(),
  decisionId,
  at: occurredAt,
});

/** Listings changed: the search-sync job reads them from PostgreSQL and upserts or removes their documents. */
export const SEARCH_SYNC_BATCH = 500;
export const searchListingSyncPayload = z.object({ listingIds: z.array(z.uuid()).min(1).max(SEARCH_SYNC_BATCH) });
/** Every listing of a seller may have changed visibility (suspension, reinstatement, group change). */
export const searchSellerSyncPayload = z.object({ sellerId: z.uuid() });
/** Compare PostgreSQL with the index and repair drift; `runId` is the search_index_runs row. */
export const searchReconcilePayload = z.object({ runId: z.uuid() });
/** Run the catalogue import whose file and progress live in catalogue_imports. */
export const catalogueImportPayload = z.object({ importId: z.uuid() });

/**
 * Close the RFQ if its deadline has come (database clock). Written with the deadline as its
 * availability, again after every anti-sniping extension; an early or repeated close does nothing.
 */
export const rfqClosePayload = z.object({ rfqId: z.uuid() });

/** Post the settlement journal of a delivered order (the order's id is the journal's idempotency key). */
export const orderSettlePayload = z.object({ orderId: z.uuid() });
/** Batch every active seller's payable balance into payouts; `runId` is the payout_runs row. */
export const payoutsRunPayload = z.object({ runId: z.uuid() });
/** Hand a payout the run created to the payment provider, after the run's transaction committed. */
export const payoutSubmitPayload = z.object({ payoutId: z.uuid() });

/**
 * Tell a buyer or seller organisation's members, in one e-mail each, about the thread messages
 * they have not read (services' sendConversationDigest). The first message since the last digest
 * writes it; the job reschedules itself until the digest is due (CONVERSATION_DIGEST_MINUTES).
 */
export const conversationDigestPayload = z.object({ organizationId: z.uuid() });

/**
 * Every job the system knows: name → queue, payload schema and retry policy. A later capability
 * adds one entry here (and, if it needs one, a queue in QUEUES); producers, the relay and workers
 * pick it up from this table.
 */
export const JOBS = {
  "notification.email": defineJob({
    queue: QUEUES.notifications,
    payload: notificationEmailPayload,
    // 8 tries with 2 s exponential backoff span about 4 min: enough for an SMTP relay to come back.
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000 },
  }),
  // The digest runs under its pending row's lock and deletes it: a retry or a duplicate sends nothing more.
  "conversation.digest": defineJob({
    queue: QUEUES.notifications,
    payload: conversationDigestPayload,
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000 },
  }),
  "seller.suspended": defineJob({
    queue: QUEUES.events,
    payload: sellerSuspendedPayload,
    // Domain events go to every registered consumer, at least once (docs/events.md). 12 tries with
    // 5 s exponential backoff span about 3 h: a consumer whose dependency is down (search index,
    // payment provider) still catches up, and a lost suspension would leave a suspended seller selling.
    attempts: 12,
    backoff: { type: "exponential", delay: 5_000 },
  }),
  "seller.reinstated": defineJob({
    queue: QUEUES.events,
    payload: sellerReinstatedPayload,
    attempts: 12,
    backoff: { type: "exponential", delay: 5_000 },
  }),
  // Search jobs read the current state from PostgreSQL, so a retry or a duplicate is harmless; the
  // search queue's worker runs them one at a time so an older read never overwrites a newer one.
  // 10 tries with 1 s exponential backoff span about 17 min (a Meilisearch restart); what is still
  // missed after that is repaired by the next reconciliation.
  "search.listing.sync": defineJob({
    queue: QUEUES.search,
    payload: searchListingSyncPayload,
    attempts: 10,
    backoff: { type: "exponential", delay: 1_000 },
  }),
  "search.seller.sync": defineJob({
    queue: QUEUES.search,
    payload: searchSellerSyncPayload,
    attempts: 10,
    backoff: { type: "exponential", delay: 1_000 },
  }),
  "search.reconcile": defineJob({
    queue: QUEUES.search,
    payload: searchReconcilePayload,
    attempts: 3,
    backoff: { type: "exponential", delay: 10_000 },
  }),
  // An import is resumable (it upserts by SKU and skips unchanged rows), so a retry after a crash
  // finishes the job without duplicating anything.
  "catalogue.import": defineJob({
    queue: QUEUES.imports,
    payload: catalogueImportPayload,
    attempts: 3,
    backoff: { type: "exponential", delay: 5_000 },
  }),
  // Closing reads the RFQ under its row lock and does nothing unless it is open and due, so a retry,
  // a duplicate or a job for an older deadline is harmless; the worker's sweep catches what is missed.
  "rfq.close": defineJob({
    queue: QUEUES.rfqs,
    payload: rfqClosePayload,
    attempts: 10,
    backoff: { type: "exponential", delay: 1_000 },
  }),
  // Settling locks the order and writes its journal under the unique key settlement:<orderId>, so a
  // retry, a duplicate or two workers at once post it once. 10 tries with 2 s exponential backoff span
  // about 17 min; a job that still fails (no commission rule for the currency, say) stays in the
  // failed list, where an operator retries it once the cause is fixed.
  "order.settle": defineJob({
    queue: QUEUES.settlement,
    payload: orderSettlePayload,
    attempts: 10,
    backoff: { type: "exponential", delay: 2_000 },
  }),
  // A run takes each seller's lock and only batches journals no payout holds yet: a retry resumes.
  "payouts.run": defineJob({
    queue: QUEUES.settlement,
    payload: payoutsRunPayload,
    attempts: 5,
    backoff: { type: "exponential", delay: 10_000 },
  }),
  // Submitting calls the payment provider outside any transaction, then records submitted_at: a
  // payout already submitted, or no longer pending, is left alone. A crash between the call and the
  // record submits again, so the provider must de-duplicate on the payout's id (the PaymentProvider
  // port). 10 tries with 5 s exponential backoff span about 40 min: a provider outage is ridden out;
  // what still fails waits in the failed list for an operator to retry.
  "payout.submit": defineJob({
    queue: QUEUES.settlement,
    payload: payoutSubmitPayload,
    attempts: 10,
    backoff: { type: "exponential", delay: 5_000 },
  }),
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["payload"]>;
export type NotificationEmailPayload = JobPayload<"notification.email">;
export type SellerSuspendedPayload = JobPayload<"seller.suspended">;
export type SellerReinstatedPayload = JobPayload<"seller.reinstated">;
export type SearchListingSyncPayload = JobPayload<"search.listing.sync">;
export type SearchSellerSyncPayload = JobPayload<"search.seller.sync">;
export type SearchReconcilePayload = JobPayload<"search.reconcile">;
export type CatalogueImportPayload = JobPayload<"catalogue.import">;
export type RfqClosePayload = JobPayload<"rfq.close">;
export type OrderSettlePayload = JobPayload<"order.settle">;
export type PayoutsRunPayload = JobPayload<"payouts.run">;
export type PayoutSubmitPayload = JobPayload<"payout.submit">;
export type ConversationDigestPayload = JobPayload<"conversation.digest">;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** The jobs of one queue, e.g. the domain events of `events`. */
export function jobNamesOf(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOBS[name].queue === queue);
}

/** A domain event: a job of the `events` queue. */
export type EventName = { [N in JobName]: (typeof JOBS)[N]["queue"] extends typeof QUEUES.events ? N : never }[JobName];
export const EVENT_NAMES = jobNamesOf(QUEUES.events) as EventName[];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as string[]).includes(name);
}

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, name);
}

export function jobDefinition<N extends JobName>(name: N): (typeof JOBS)[N] {
  return JOBS[name];
}

export class InvalidJobPayloadError extends Error {
  override readonly name = "InvalidJobPayloadError";
  constructor(
    readonly jobName: string,
    readonly issues: string[],
  ) {
    super(`Invalid payload for job ${jobName}: ${issues.join("; ")}`);
  }
}

export class UnknownJobError extends Error {
  override readonly name = "UnknownJobError";
  constructor(readonly jobName: string) {
    super(`Unknown job ${jobName}`);
  }
}

/** Parses a payload with the job's schema; throws InvalidJobPayloadError (or UnknownJobError). */
export function parseJobPayload<N extends JobName>(name: N, payload: unknown): JobPayload<N>;
export function parseJobPayload(name: string, payload: unknown): unknown;
export function parseJobPayload(name: string, payload: unknown): unknown {
  if (!isJobName(name)) throw new UnknownJobError(name);
  const result = JOBS[name].payload.safeParse(payload);
  if (!result.success) {
    throw new InvalidJobPayloadError(
      name,
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return result.data;
}
