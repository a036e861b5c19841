import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createPgListener, withTransaction } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import { createRfqEventHub, publishRfqEvent, RFQ_EVENTS_CHANNEL, sellerRfqEventMatters, type SellerLiveFacts } from "./live";

const { db, url } = await createTestDatabase();
const listener = createPgListener({ connectionString: url, applicationName: "souk-live-test", retryDelayMs: 50 });
afterAll(() => listener.close());
const hub = createRfqEventHub(listener);

const RFQ_A = "00000000-0000-4000-8000-00000000000a";
const RFQ_B = "00000000-0000-4000-8000-00000000000b";

function collect(rfqId: string) {
  const events: string[] = [];
  const unsubscribe = hub.subscribe(rfqId, (e) => events.push(e.kind));
  return { events, unsubscribe };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function listening(): Promise<void> {
  // The first subscription opens the connection; wait until PostgreSQL has it listening.
  const start = Date.now();
  for (;;) {
    const row = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where application_name = 'souk-live-test' and datname = current_database()`.execute(db);
    if (Number(row.rows[0]?.n) > 0) {
      await new Promise((r) => setTimeout(r, 50));
      return;
    }
    if (Date.now() - start > 5_000) throw new Error("listener never connected");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("RFQ live events", () => {
  it("are heard by the RFQ's subscribers only once the transaction commits, and never when it rolls back", async () => {
    const a = collect(RFQ_A);
    const b = collect(RFQ_B);
    await listening();

    await expect(
      withTransaction(db, async (trx) => {
        await publishRfqEvent(trx, RFQ_A, "offer");
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");

    await withTransaction(db, async (trx) => {
      await publishRfqEvent(trx, RFQ_A, "question");
      await new Promise((r) => setTimeout(r, 100));
      // Not yet committed: nothing may be heard.
      expect(a.events).toEqual([]);
    });
    await until(() => a.events.length === 1);
    expect(a.events).toEqual(["question"]);
    expect(b.events).toEqual([]);
    a.unsubscribe();
    b.unsubscribe();
  });

  it("ignore payloads that are not RFQ events, and stop after unsubscribing", async () => {
    const a = collect(RFQ_A);
    await listening();
    await sql`select pg_notify(${RFQ_EVENTS_CHANNEL}, 'not json')`.execute(db);
    await sql`select pg_notify(${RFQ_EVENTS_CHANNEL}, ${JSON.stringify({ rfqId: RFQ_A, kind: "price" })})`.execute(db);
    await publishRfqEvent(db, RFQ_A, "deadline");
    await until(() => a.events.length === 1);
    a.unsubscribe();
    await publishRfqEvent(db, RFQ_A, "status");
    await new Promise((r) => setTimeout(r, 200));
    expect(a.events).toEqual(["deadline"]);
  });

  it("tell subscribers to re-read after the listening connection was lost, then keep delivering", async () => {
    const a = collect(RFQ_A);
    await listening();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'souk-live-test' and datname = current_database()`.execute(db);
    await until(() => a.events.includes("resync"));
    await listening();
    await publishRfqEvent(db, RFQ_A, "award");
    await until(() => a.events.includes("award"));
    a.unsubscribe();
  });
});

describe("the events a seller's live page re-reads its view on", () => {
  const view = (sealing: "sealed" | "open", offer: string | null, options: { status?: string; submit?: boolean } = {}): SellerLiveFacts => ({
    rfq: { status: options.status ?? "open", sealing },
    offer: offer === null ? null : { status: offer },
    moves: { submit: options.submit ?? false },
  });

  it("never a competitor's offer on a sealed RFQ, whatever the seller's own offer", () => {
    for (const own of [null, "submitted", "revised", "withdrawn"]) {
      expect(sellerRfqEventMatters("offer", view("sealed", own, { submit: own === null || own === "withdrawn" }))).toBe(false);
    }
  });

  it("an offer on open bidding while open, when the seller's rank can move (a live offer, or one it may still submit)", () => {
    expect(sellerRfqEventMatters("offer", view("open", "submitted"))).toBe(true);
    expect(sellerRfqEventMatters("offer", view("open", "revised"))).toBe(true);
    expect(sellerRfqEventMatters("offer", view("open", null, { submit: true }))).toBe(true);
    expect(sellerRfqEventMatters("offer", view("open", null, { submit: false }))).toBe(false);
    expect(sellerRfqEventMatters("offer", view("open", "withdrawn", { submit: false }))).toBe(false);
    expect(sellerRfqEventMatters("offer", view("open", "submitted", { status: "closed" }))).toBe(false);
  });

  it("never a question; answers, deadlines, status, award and resync always", () => {
    for (const sealing of ["sealed", "open"] as const) {
      expect(sellerRfqEventMatters("question", view(sealing, "submitted"))).toBe(false);
      for (const kind of ["answer", "deadline", "status", "award", "resync"] as const) expect(sellerRfqEventMatters(kind, view(sealing, null))).toBe(true);
    }
  });
});
