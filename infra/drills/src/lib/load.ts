import { latencySummary, sleep, type Drill } from "./drill";
import type { Answer, Session } from "./http";
import type { DrillMarket } from "./market";

/**
 * The load the drills break things under: virtual users, each one request at a time with a short
 * pause (the machine has two cores shared by the apps, the worker, PostgreSQL and this process), every
 * answer recorded with its phase, its latency and whether it was what a healthy system answers.
 */
export interface Sample {
  user: string;
  /** "page GET /orders", "write checkout", ... */
  kind: string;
  write: boolean;
  phase: string;
  /** Start, in ms since the load started. */
  at: number;
  ms: number;
  status: number;
  ok: boolean;
  error: string | null;
  /** The write's own tag (PO number, offer note), to find its effects in the database. */
  tag?: string;
  /** The page's <title>, kept for failed requests (an error page says what went wrong). */
  title?: string;
}

export type Act = (kind: string, options: { write?: boolean; tag?: string }, send: () => Promise<Answer>, ok: (answer: Answer) => boolean) => Promise<Answer>;

export interface Load {
  readonly samples: Sample[];
  phase: string;
  /** Ms since the load started (the clock of Sample.at). */
  now(): number;
  /** Resolves when every user has finished its current request. */
  stop(): Promise<void>;
}

export function startLoad(users: { name: string; loop: (act: Act) => Promise<void> }[], options: { pauseMs?: number } = {}): Load {
  const pauseMs = options.pauseMs ?? 100;
  const started = performance.now();
  const samples: Sample[] = [];
  let stopping = false;
  const load: Load = {
    samples,
    phase: "before",
    now: () => performance.now() - started,
    stop: async () => {
      stopping = true;
      await Promise.all(running);
    },
  };
  const running = users.map(async (user) => {
    const act: Act = async (kind, opts, send, ok) => {
      const phase = load.phase;
      const at = performance.now() - started;
      const answer = await send();
      const good = ok(answer);
      const title = good ? undefined : /<title>([^<]*)<\/title>/i.exec(answer.body)?.[1];
      samples.push({ user: user.name, kind, write: opts.write ?? false, phase, at, ms: answer.ms, status: answer.status, ok: good, error: answer.error, ...(opts.tag ? { tag: opts.tag } : {}), ...(title ? { title } : {}) });
      await sleep(pauseMs);
      return answer;
    };
    while (!stopping) await user.loop(act);
  });
  return load;
}

/**
 * A buyer's round: the catalogue search page and its purchases, a quick order (two lines into the
 * cart) and the checkout of the cart with a PO number that tags the purchase. `written` gets the
 * tag of each checkout the app confirmed (its redirect to the purchase).
 */
export function buyerUser(session: Session, market: DrillMarket, buyerIndex: number, options: { tagPrefix: string; search?: boolean }) {
  const buyer = market.buyers[buyerIndex]!;
  let round = 0;
  return {
    name: `buyer${buyerIndex + 1}`,
    loop: async (act: Act) => {
      round += 1;
      if (options.search !== false) await act("page GET /catalogue?q=carton", {}, () => session.get("/catalogue?q=carton"), (a) => a.status === 200);
      await act("page GET /purchases", {}, () => session.get("/purchases"), (a) => a.status === 200);
      const sellerA = market.sellers[round % market.sellers.length]!;
      const sellerB = market.sellers[(round + 1) % market.sellers.length]!;
      const lines = [`${sellerA.listings[round % sellerA.listings.length]!.sku}, ${1 + (round % 5)}`, `${sellerB.listings[(round + 1) % sellerB.listings.length]!.sku}, 2`];
      await act("write quick order", { write: true }, () => session.post("/quick-order", { text: lines.join("\n") }), (a) => a.status === 200);
      const tag = `${options.tagPrefix}-B${buyerIndex + 1}-${round}`;
      await act("write checkout", { write: true, tag }, () => session.post("/cart", { intent: "checkout", currency: "EUR", addressId: buyer.addressId, poNumber: tag }), (a) => a.status === 302 && (a.location ?? "").includes("/purchases/"));
    },
  };
}

/** A seller's round: its RFQ inbox, one buyer's RFQ page, and an offer on it (submitted, then revised) whose note tags the receipt. */
export function sellerUser(session: Session, market: DrillMarket, sellerIndex: number, options: { tagPrefix: string }) {
  let round = 0;
  const validUntil = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  return {
    name: `seller${sellerIndex + 1}`,
    loop: async (act: Act) => {
      round += 1;
      const rfq = market.buyers[(round + sellerIndex) % market.buyers.length]!.rfq;
      await act("page GET /rfqs", {}, () => session.get("/rfqs"), (a) => a.status === 200);
      await act("page GET /rfqs/:id", {}, () => session.get(`/rfqs/${rfq.id}`), (a) => a.status === 200);
      const tag = `${options.tagPrefix}-S${sellerIndex + 1}-${round}`;
      const form: Record<string, string> = { intent: "save", leadTimeDays: String(3 + (round % 20)), validUntil, notes: tag };
      rfq.lineIds.forEach((lineId, i) => {
        form[`lines.${i}.lineId`] = lineId;
        form[`lines.${i}.unitPrice`] = `${2 + ((round + i) % 7)}.${String((round * 17 + sellerIndex) % 100).padStart(2, "0")}`;
        form[`lines.${i}.quantity`] = String(rfq.quantities[i]);
      });
      await act("write offer", { write: true, tag }, () => session.post(`/rfqs/${rfq.id}`, form), (a) => a.status === 302 && (a.location ?? "").includes("receipt="));
    },
  };
}

/** Per phase and kind: requests, failures, latency. */
export function reportLoad(drill: Drill, samples: readonly Sample[], phases: readonly string[]): void {
  for (const phase of phases) {
    const inPhase = samples.filter((s) => s.phase === phase);
    const kinds = [...new Set(inPhase.map((s) => s.kind))].sort();
    for (const kind of kinds) {
      const of = inPhase.filter((s) => s.kind === kind);
      const bad = of.filter((s) => !s.ok);
      const statuses = [...new Set(bad.map((s) => (s.status === 0 ? (s.error ?? "error") : String(s.status))))].join(",");
      drill.figure(`[${phase}] ${kind}`, `${of.length - bad.length}/${of.length} ok${bad.length ? ` (failed: ${statuses})` : ""}, ${latencySummary(of.map((s) => s.ms))}`);
    }
  }
}

export function maxLatency(samples: readonly Sample[]): Sample | undefined {
  return samples.reduce<Sample | undefined>((max, s) => (!max || s.ms > max.ms ? s : max), undefined);
}
