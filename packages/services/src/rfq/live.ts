import { sql } from "kysely";
import type { Db, PgListener } from "@souk/db";
import { outsideRequest } from "@souk/jobs";

/** The PostgreSQL channel of RFQ live events. */
export const RFQ_EVENTS_CHANNEL = "souk_rfq_events";

/**
 * What happened to an RFQ, and nothing more: never an offer's content, price, seller or count.
 * A page that hears an event re-reads its own view through the services (which apply the
 * viewer's rights), so a live event cannot leak what the page itself may not show.
 */
export const RFQ_EVENT_KINDS = ["offer", "question", "answer", "deadline", "status", "award"] as const;
export type RfqEventKind = (typeof RFQ_EVENT_KINDS)[number];

export interface RfqEvent {
  rfqId: string;
  kind: RfqEventKind;
}

/**
 * Announces a change of an RFQ to the live pages. NOTIFY is transactional: call it inside the
 * change's transaction and it is heard only if and when that transaction commits (the same
 * guarantee as the outbox, with no job: a missed live event costs a page refresh, nothing else).
 */
export async function publishRfqEvent(db: Db, rfqId: string, kind: RfqEventKind): Promise<void> {
  await sql`select pg_notify(${RFQ_EVENTS_CHANNEL}, ${JSON.stringify({ rfqId, kind } satisfies RfqEvent)})`.execute(db);
}

/** What of the seller's own view decides which events its live page must hear (SellerRfqView has it). */
export interface SellerLiveFacts {
  rfq: { status: string; sealing: "sealed" | "open" };
  offer: { status: string } | null;
  moves: { submit: boolean };
}

/**
 * Whether the seller's live page must re-read its view on an event of `kind`, decided from the
 * seller's own last view, never from the event. `offer` matters only where another seller's offer
 * can change what this seller sees: its rank, on an open (not sealed) RFQ while open, when it has a
 * live offer or may still submit one (its own submission goes through the page, whose stream keeps
 * the view it read before). On a sealed RFQ a competitor's offer changes nothing this seller sees,
 * so it is not even re-read: not a frame, not a timing. `question` never (the seller's own question
 * comes back through its form; answers come as `answer`); everything else always.
 */
export function sellerRfqEventMatters(kind: RfqEventKind | "resync", view: SellerLiveFacts): boolean {
  switch (kind) {
    case "offer": {
      if (view.rfq.sealing !== "open" || view.rfq.status !== "open") return false;
      // A final offer is in the competition again in a best-and-final round (shown `open` to the shortlist only).
      const live = view.offer !== null && (["submitted", "revised", "locked"] as readonly string[]).includes(view.offer.status);
      return live || view.moves.submit;
    }
    case "question":
      return false;
    default:
      return true;
  }
}

/** `kind: "resync"` after the listening connection was lost and re-opened: re-read everything. */
export type RfqEventListener = (event: { kind: RfqEventKind | "resync" }) => void;

export interface RfqEventHub {
  /** Calls `listener` on every committed change of `rfqId`; returns the unsubscribe function. */
  subscribe(rfqId: string, listener: RfqEventListener): () => void;
}

/** Fans the process's one LISTEN connection out to the pages watching each RFQ. */
export function createRfqEventHub(listener: PgListener): RfqEventHub {
  const byRfq = new Map<string, Set<RfqEventListener>>();
  let unlisten: (() => void) | null = null;

  function onNotification(payload: string | null): void {
    if (payload === null) {
      for (const set of byRfq.values()) for (const l of set) l({ kind: "resync" });
      return;
    }
    let event: RfqEvent;
    try {
      event = JSON.parse(payload) as RfqEvent;
    } catch {
      return;
    }
    if (!(RFQ_EVENT_KINDS as readonly string[]).includes(event.kind)) return;
    for (const l of byRfq.get(event.rfqId) ?? []) l({ kind: event.kind });
  }

  return {
    subscribe(rfqId, l) {
      // The process's one LISTEN connection, opened by the first viewer's request: outside it, so
      // that its callbacks do not carry that request's id for ever (decision 0018).
      unlisten ??= outsideRequest(() => listener.subscribe(RFQ_EVENTS_CHANNEL, onNotification));
      let set = byRfq.get(rfqId);
      if (!set) byRfq.set(rfqId, (set = new Set()));
      set.add(l);
      return () => {
        set.delete(l);
        if (set.size === 0) byRfq.delete(rfqId);
      };
    },
  };
}
