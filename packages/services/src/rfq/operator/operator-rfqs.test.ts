import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { memberOf } from "../../vetting/test-support";
import { openFinalRound } from "../buyer/open-final-round";
import { localIn } from "../buyer/test-support";
import { closeRfq } from "../seller/close-rfq";
import { saveOffer } from "../seller/save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline, type RfqFixture } from "../seller/test-support";
import { getOperatorRfq } from "./get-operator-rfq";
import { listOperatorRfqs } from "./list-operator-rfqs";

/**
 * The operator's RFQ pages (read:rfqs:any): what they show of the offers follows the buyer's rule,
 * sealed bidding and a sealed best-and-final round included; reading one RFQ is audited.
 */
const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };
const finance = await memberOf(db, "operator", "finance");
const moderator = await memberOf(db, "operator", "moderator");
const admin = await memberOf(db, "operator", "admin");

// Prices with four digits before the point: no timestamp, id or generated name can contain one.
const PRICES = { alpha: "8642.97", beta: "7531.86", alphaFinal: "6420.75" };
const minor = (price: string) => price.replace(".", "");

const leaked = (value: unknown, secrets: readonly string[]) => {
  const text = JSON.stringify(value);
  return secrets.filter((s) => text.includes(s));
};

const reads = (rfqId: string) => db.selectFrom("audit_log").select(["actor_user_id", "organization_id", "data"]).where("action", "=", "rfq.read").where("target_id", "=", rfqId).orderBy("id").execute();

/** A sealed RFQ open to the category, with offers from two sellers that were not invited (their names appear nowhere but in their offers). */
async function sealedWithOffers(options: { sealing?: "sealed" | "open" } = {}) {
  const buyer = await buyerOrg(db);
  const [alpha, beta] = [await rfqSeller(db), await rfqSeller(db)];
  const rfq = await insertRfq(db, buyer.id, { sealing: options.sealing ?? "sealed", title: `Pallet wrap ${buyer.id.slice(0, 8)}` });
  await saveOffer(alpha.sales, offerForm(rfq, {}, PRICES.alpha));
  await saveOffer(beta.sales, offerForm(rfq, {}, PRICES.beta));
  const sellerNames = await db.selectFrom("organizations").select("name").where("id", "in", [alpha.id, beta.id]).execute();
  const secrets = [PRICES.alpha, PRICES.beta, minor(PRICES.alpha), minor(PRICES.beta), alpha.id, beta.id, ...sellerNames.map((s) => s.name)];
  return { buyer, alpha, beta, rfq, secrets };
}

async function close(rfq: RfqFixture): Promise<void> {
  await setDeadline(db, rfq.id, -1);
  await closeRfq(deps, { rfqId: rfq.id });
}

describe("an RFQ's page for operators", () => {
  test("sealed: before the deadline only the offer count, for every operator role; after the close the offers, their prices, receipts per seller and the chain", async () => {
    const { buyer, alpha, beta, rfq, secrets } = await sealedWithOffers();
    for (const operator of [finance, moderator, admin]) {
      const view = await getOperatorRfq(operator, { rfqId: rfq.id });
      expect(view).toMatchObject({ status: "open", sealing: "sealed", buyer: { id: buyer.id, name: buyer.name }, offerCount: 2, offersVisible: false, offers: null, receipts: null, award: null });
      expect(view.lines.map((l) => l.quantity)).toEqual([100, 20]);
      expect(leaked(view, secrets)).toEqual([]);
    }
    const list = await listOperatorRfqs(finance, { buyerId: buyer.id });
    expect(list.items).toEqual([expect.objectContaining({ id: rfq.id, status: "open", offerCount: 2 })]);
    expect(leaked(list, secrets)).toEqual([]);

    // The deadline passed but the close job has not run yet: still sealed (the status decides, as for the buyer).
    await setDeadline(db, rfq.id, -1);
    expect(await getOperatorRfq(finance, { rfqId: rfq.id })).toMatchObject({ offersVisible: false, offers: null });

    await closeRfq(deps, { rfqId: rfq.id });
    const after = await getOperatorRfq(finance, { rfqId: rfq.id });
    expect(after).toMatchObject({ status: "closed", offerCount: 2, offersVisible: true });
    const bySeller = new Map(after.offers!.map((o) => [o.seller.id, o]));
    expect(bySeller.get(alpha.id)).toMatchObject({ status: "locked", receipts: 1, lines: [{ unitPrice: { amountMinor: minor(PRICES.alpha) } }, { unitPrice: { amountMinor: minor(PRICES.alpha) } }] });
    expect(bySeller.get(beta.id)?.lines[0]?.unitPrice.amountMinor).toBe(minor(PRICES.beta));
    expect(after.receipts).toMatchObject({ chainLength: 2, entries: [{ sequence: 2, kind: "submitted" }, { sequence: 1, kind: "submitted" }] });
    expect(after.receipts!.chainHead).toBe(after.receipts!.entries[0]!.hash);
    expect(after.receipts!.verifiedAt).not.toBeNull();
  });

  test("open bidding: the offers are shown while it runs, as the buyer sees them", async () => {
    const { rfq, alpha } = await sealedWithOffers({ sealing: "open" });
    const view = await getOperatorRfq(moderator, { rfqId: rfq.id });
    expect(view).toMatchObject({ status: "open", offersVisible: true, receipts: null });
    expect(view.offers!.find((o) => o.seller.id === alpha.id)?.total.amountMinor).toBe(String(BigInt(minor(PRICES.alpha)) * 120n));
  });

  test("a sealed best-and-final round: neither the revisions nor their prices nor the receipts before its deadline; the final offers after it", async () => {
    const { buyer, alpha, beta, rfq } = await sealedWithOffers();
    await close(rfq);
    await openFinalRound(buyer.purchaser, { rfqId: rfq.id, sellerId: [alpha.id, beta.id], deadline: localIn(60), timeZone: "UTC" });
    const before = await getOperatorRfq(admin, { rfqId: rfq.id });
    await saveOffer(alpha.sales, offerForm(rfq, { notes: "Our best and final" }, PRICES.alphaFinal));
    const during = await getOperatorRfq(admin, { rfqId: rfq.id });
    expect(during).toMatchObject({ status: "final_round", offerCount: 2, offersVisible: false, offers: null, receipts: null, award: null });
    expect(during.finalRound?.sellers.map((s) => s.id).sort()).toEqual([alpha.id, beta.id].sort());
    expect(leaked(during, [PRICES.alphaFinal, minor(PRICES.alphaFinal), "Our best and final"])).toEqual([]);
    // Nothing of the view moved with the revision (no count of receipts, no update time, no event).
    const volatile = (v: unknown) => JSON.parse(JSON.stringify(v, (key, value: unknown) => (key === "serverNow" || key === "events" ? undefined : value))) as unknown;
    expect(volatile(during)).toEqual(volatile(before));
    expect(during.events.map((e) => e.action)).not.toContain("counter.revised");

    await close(rfq);
    const after = await getOperatorRfq(admin, { rfqId: rfq.id });
    expect(after).toMatchObject({ status: "closed", offersVisible: true });
    const final = after.offers!.find((o) => o.seller.id === alpha.id)!;
    expect(final).toMatchObject({ revision: 2, receipts: 2, notes: "Our best and final" });
    expect(final.lines[0]?.unitPrice.amountMinor).toBe(minor(PRICES.alphaFinal));
    expect(after.receipts!.entries[0]).toMatchObject({ seller: { id: alpha.id }, kind: "revised", reason: "rfq.final_round" });
    expect(after.events.map((e) => e.action)).toContain("rfq.final_round_opened");
  });

  test("every reading is written to the audit log (concerning the buyer), the list is not; buyers, sellers and drafts get nothing", async () => {
    const { buyer, alpha, rfq } = await sealedWithOffers();
    await listOperatorRfqs(moderator, {});
    expect(await reads(rfq.id)).toEqual([]);
    await getOperatorRfq(moderator, { rfqId: rfq.id });
    await getOperatorRfq(finance, { rfqId: rfq.id });
    expect(await reads(rfq.id)).toEqual([
      { actor_user_id: moderator.actor.userId, organization_id: buyer.id, data: expect.objectContaining({ status: "open", offersShown: false }) },
      { actor_user_id: finance.actor.userId, organization_id: buyer.id, data: expect.objectContaining({ status: "open", offersShown: false }) },
    ]);
    // The page lists the reads of others (itself is recorded after it is read).
    expect((await getOperatorRfq(admin, { rfqId: rfq.id })).events.map((e) => e.action)).toEqual(["rfq.read", "rfq.read"]);

    const draft = await insertRfq(db, buyer.id, { status: "draft" });
    for (const [who, rfqId, code] of [
      [buyer.admin, rfq.id, "FORBIDDEN"],
      [alpha.owner, rfq.id, "FORBIDDEN"],
      [finance, draft.id, "NOT_FOUND"],
      [finance, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "NOT_FOUND"],
      [finance, "RFQ-1", "NOT_FOUND"],
    ] as [ActorDeps, string, string][]) {
      expect((await domainErrorOf(getOperatorRfq(who, { rfqId }))).code).toBe(code);
    }
    expect((await domainErrorOf(listOperatorRfqs(buyer.admin, {}))).code).toBe("FORBIDDEN");
    expect(await reads(draft.id)).toEqual([]);
    expect((await listOperatorRfqs(finance, { buyerId: buyer.id })).items.map((i) => i.id)).toEqual([rfq.id]);
  });
});

describe("the operator's RFQ list", () => {
  test("filters by status, buyer organisation, publication day and text (title, buyer, reference); counts per status; bad filters are field errors", async () => {
    const buyer = await buyerOrg(db, `Quokka Supplies ${Date.now().toString(36)}`);
    const open = await insertRfq(db, buyer.id, { title: "Stretch film for the Lyon depot" });
    const awarded = await insertRfq(db, buyer.id, { status: "awarded", title: "Cardboard dividers", deadlineInMs: -60_000 });
    await insertRfq(db, buyer.id, { status: "cancelled", title: "Tape" });
    const published = await db.selectFrom("rfqs").select(["id", "number", "published_at"]).where("buyer_id", "=", buyer.id).orderBy("number").execute();
    await db.updateTable("rfqs").set({ published_at: new Date("2031-03-10T09:00:00Z") }).where("id", "=", awarded.id).execute();

    const all = await listOperatorRfqs(finance, { buyerId: buyer.id });
    expect(all.total).toBe(3);
    expect(all.counts).toEqual({ open: 1, closed: 0, final_round: 0, awarded: 1, cancelled: 1 });
    expect(all.buyers).toContainEqual({ id: buyer.id, name: buyer.name });
    expect((await listOperatorRfqs(finance, { buyerId: buyer.id, status: "awarded" })).items.map((i) => i.id)).toEqual([awarded.id]);
    expect((await listOperatorRfqs(finance, { q: "stretch FILM", buyerId: buyer.id })).items.map((i) => i.id)).toEqual([open.id]);
    expect((await listOperatorRfqs(finance, { q: buyer.name.slice(0, 14).toLowerCase() })).total).toBe(3);
    const number = published.find((p) => p.id === open.id)!.number;
    expect((await listOperatorRfqs(finance, { q: `RFQ-${String(number).padStart(6, "0")}` })).items.map((i) => i.id)).toEqual([open.id]);
    expect((await listOperatorRfqs(finance, { buyerId: buyer.id, from: "2031-03-10", to: "2031-03-10" })).items.map((i) => i.id)).toEqual([awarded.id]);
    expect((await listOperatorRfqs(finance, { buyerId: buyer.id, to: "2031-03-09" })).total).toBe(2);

    // A draft is the buyer's own: never listed.
    await insertRfq(db, buyer.id, { status: "draft", title: "Stretch film draft" });
    expect((await listOperatorRfqs(finance, { buyerId: buyer.id })).total).toBe(3);

    const refused = await domainErrorOf(listOperatorRfqs(finance, { status: "draft", buyerId: "nope", from: "2031-02-30", page: "0" }));
    expect(refused.fieldErrors).toEqual({ status: ["rfq.filter.status_invalid"], buyerId: ["rfq.filter.buyer_invalid"], from: ["rfq.filter.date_invalid"], page: ["rfq.filter.page_invalid"] });
    expect((await domainErrorOf(listOperatorRfqs(finance, { from: "2031-03-10", to: "2031-03-01" }))).fieldErrors).toEqual({ to: ["rfq.filter.range_invalid"] });
  });
});
