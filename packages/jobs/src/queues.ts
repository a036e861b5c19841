/**
 * BullMQ queue names. One queue per kind of work so a slow consumer (SMTP) never holds back another
 * (search sync); a queue is added here when a later capability needs its own workers.
 */
export const QUEUES = {
  notifications: "notifications",
  /** Domain events (seller.suspended...): each is dispatched to every consumer registered for it. */
  events: "events",
  /** Listing changes → the search index; reconciliation. One job at a time (see JOBS). */
  search: "search",
  /** Catalogue CSV imports: long jobs that must not hold back e-mails or search sync. */
  imports: "imports",
  /** RFQ deadlines: closing an RFQ at its deadline (and the sweep that catches missed ones). */
  rfqs: "rfqs",
  /** Money: settling delivered orders and payout runs. */
  settlement: "settlement",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];
