import type { JobName, JobPayload } from "@souk/jobs";
import { redactEmailForTransport } from "../notifications/transport";
import { noSecrets, type RedactForTransport, type TransportRedactions } from "./transport";

/**
 * The transport redaction of every job kind: the one place where the outbox meets the contexts
 * that own a payload's meaning. Each context exports its hook; the relay reads only this table.
 */
export const TRANSPORT_REDACTIONS: TransportRedactions = {
  "notification.email": redactEmailForTransport,
  // Domain events carry ids, a date and the operator's reason: nothing that grants access.
  "seller.suspended": noSecrets,
  "seller.reinstated": noSecrets,
  // Catalogue jobs carry ids only: the jobs read everything else from PostgreSQL.
  "search.listing.sync": noSecrets,
  "search.seller.sync": noSecrets,
  "search.reconcile": noSecrets,
  "catalogue.import": noSecrets,
  "rfq.close": noSecrets,
  "order.settle": noSecrets,
  "payouts.run": noSecrets,
  "payout.submit": noSecrets,
  // An organisation id: the digest reads the messages from PostgreSQL.
  "conversation.digest": noSecrets,
};

/** The payload as it may be enqueued: `payload` with the topic's secrets replaced. */
export function redactForTransport<N extends JobName>(topic: N, payload: JobPayload<N>): JobPayload<N> {
  // Indexing with a generic key widens the entry to a union of every job's hook; the table's type
  // already pairs each topic with the hook of its own payload.
  const redact = TRANSPORT_REDACTIONS[topic] as RedactForTransport<N>;
  return redact(payload);
}
