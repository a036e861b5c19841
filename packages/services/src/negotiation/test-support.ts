import type { Db } from "@souk/db";
import { closeRfq } from "../rfq/seller/close-rfq";
import { saveOffer } from "../rfq/seller/save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline, type BuyerFixture, type RfqFixture, type RfqOptions } from "../rfq/seller/test-support";
import type { ListingSeller } from "../catalogue/listings/test-support";
import { TEST_URLS } from "../identity/test-support";

/** Fixtures of the negotiation tests (never exported from the package). */

export interface Negotiation {
  buyer: BuyerFixture;
  rfq: RfqFixture;
  sellers: { seller: ListingSeller; offerId: string }[];
}

/**
 * A buyer's RFQ (lines of 100 and 20) with one offer per seller (each at its price, every line at
 * the asked quantity), closed through the real close (`closed: false` keeps it open: then pass
 * `sealing: "open"` for a live negotiation).
 */
export async function negotiation(db: Db, prices: string[] = ["10.00", "12.00"], options: RfqOptions & { closed?: boolean } = {}): Promise<Negotiation> {
  const buyer = await buyerOrg(db);
  const rfq = await insertRfq(db, buyer.id, { lines: [100, 20], ...options });
  const sellers: Negotiation["sellers"] = [];
  for (const price of prices) {
    const seller = await rfqSeller(db);
    const saved = await saveOffer(seller.sales, offerForm(rfq, {}, price));
    sellers.push({ seller, offerId: saved.offerId });
  }
  if (options.closed !== false) {
    await setDeadline(db, rfq.id, -1_000);
    const closed = await closeRfq({ db, publicUrls: TEST_URLS }, { rfqId: rfq.id });
    if (!closed.closed) throw new Error("the RFQ did not close");
  }
  return { buyer, rfq, sellers };
}

/** A counter form: `targets` per RFQ line index (price text and/or quantity text), `respondBy` an ISO instant. */
export function counterForm(rfq: RfqFixture, offerId: string, targets: Record<number, { price?: string; quantity?: string }>, respondBy: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const form: Record<string, unknown> = { rfqId: rfq.id, offerId, respondBy, message: "Can you do better on this line?" };
  rfq.lineIds.forEach((lineId, i) => {
    form[`lines.${i}.lineId`] = lineId;
    form[`lines.${i}.targetUnitPrice`] = targets[i]?.price ?? "";
    form[`lines.${i}.targetQuantity`] = targets[i]?.quantity ?? "";
  });
  return { ...form, ...extra };
}

/** An ISO instant `ms` from now on this process's clock (the database's is the same machine's). */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

const TABLES = ["offers", "offer_lines", "offer_revisions", "offer_counters", "offer_counter_lines", "outbox", "notifications", "audit_log"] as const;

/** Everything a negotiation use case may write, to show that a refused call changed nothing. */
export async function negotiationSnapshot(db: Db): Promise<unknown> {
  const rows: Record<string, unknown> = {};
  for (const table of TABLES) rows[table] = await db.selectFrom(table).selectAll().execute().then((r) => r.map((x) => JSON.stringify(x)).sort());
  rows["rfqs"] = await db.selectFrom("rfqs").select(["id", "chain_head", "chain_length", "status"]).orderBy("id").execute();
  return rows;
}

/** The offer's lines as `[lineId, unit price minor, quantity]`, in the RFQ's line order. */
export async function offerLines(db: Db, rfq: RfqFixture, offerId: string): Promise<[string, string, number][]> {
  const rows = await db.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", offerId).execute();
  return rfq.lineIds.flatMap((id) => rows.filter((r) => r.line_id === id).map((r) => [r.line_id, r.unit_price_minor, r.quantity] as [string, string, number]));
}
