import { PDFDocument, StandardFonts } from "pdf-lib";
import { sql } from "kysely";
import { beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { getBuyerBalances } from "./get-buyer-balances";
import { getJournal } from "./get-journal";
import { getOrderMoney } from "./get-order-money";
import { getPayout } from "./get-payout";
import { getSellerBalance } from "./get-seller-balance";
import { getSellerPayoutStatement } from "./get-seller-payout-statement";
import { getTrialBalance } from "./get-trial-balance";
import { listJournals } from "./list-journals";
import { listLedgerAccounts } from "./list-ledger-accounts";
import { listPayouts } from "./list-payouts";
import { listSellerPayouts } from "./list-seller-payouts";
import { listSellerSettlements } from "./list-seller-settlements";
import { markPayoutFailed } from "./mark-payout-failed";
import { runPayouts } from "./run-payouts";
import { sellerPayoutStatementCsv } from "./seller-payout-statement-csv";
import { renderStatementPdf, sellerPayoutStatementPdf, winAnsiSafe } from "./seller-payout-statement-pdf";
import { settleOrder } from "./settle-order";
import { buyer, commissionRule, moneySeller, openDispute, operator, order, payoutRun, resolveDispute, type BuyerFixture, type MoneySeller } from "./test-support";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };
const finance = await operator(db, "finance");
const moderator = await operator(db, "moderator");

await commissionRule(db, { currency: "EUR", rateBps: 1000 });
await commissionRule(db, { currency: "TND", rateBps: 500 });

let alpha: MoneySeller;
let beta: MoneySeller;
let acme: BuyerFixture;
let other: BuyerFixture;
let orders: { a1: string; a2: string; a3: string; disputed: string; b1: string };
let payoutId: string;

async function settled(buyerId: string, sellerId: string, totalMinor: number, currency = "EUR") {
  const o = await order(db, { buyerId, sellerId, totalMinor, currency });
  await settleOrder(deps, { orderId: o.id });
  return o.id;
}

beforeAll(async () => {
  alpha = await moneySeller(db);
  beta = await moneySeller(db);
  acme = await buyer(db, { name: "=HYPERLINK(\"http://evil\")" });
  other = await buyer(db, { name: "Société Générale d'Achats" });
  orders = {
    a1: await settled(acme.id, alpha.id, 10_000),
    a2: await settled(other.id, alpha.id, 5_000),
    a3: await settled(acme.id, alpha.id, 123_456, "TND"),
    disputed: await settled(acme.id, alpha.id, 2_000),
    b1: await settled(acme.id, beta.id, 7_000),
  };
  const dispute = await openDispute(db, orders.a2);
  await resolveDispute(db, dispute, "partial_refund", 1_000n);
  await openDispute(db, orders.disputed);
  await runPayouts(deps, { runId: await payoutRun(db) });
  payoutId = (await db.selectFrom("payouts").select("id").where("seller_id", "=", alpha.id).where("currency", "=", "EUR").executeTakeFirstOrThrow()).id;
});

describe("operator reads", () => {
  test("the trial balance is zero in every currency, with each kind of account's balance", async () => {
    const tb = await getTrialBalance(finance);
    expect(tb.balanced).toBe(true);
    expect(tb.currencies.map((c) => c.currency)).toEqual(["EUR", "TND"]);
    const eur = tb.currencies[0]!;
    expect(eur.debits).toEqual(eur.credits);
    expect(eur.balance).toEqual({ amountMinor: "0", currency: "EUR" });
    // Gross 24 000 settled, 1 000 refunded.
    expect(eur.kinds.find((k) => k.kind === "buyer_receivable")!.balance.amountMinor).toBe("23000");
    // Commission 2 400 minus 100 given back.
    expect(eur.kinds.find((k) => k.kind === "commission_revenue")!.balance.amountMinor).toBe("-2300");
    expect(eur.kinds.map((k) => k.kind)).toEqual(["buyer_receivable", "seller_payable", "commission_revenue", "payouts_in_transit", "cash"]);
  });

  test("accounts, journals and payouts lists filter and page; a payout's detail has its statement and journals", async () => {
    const receivables = await listLedgerAccounts(finance, { kind: "buyer_receivable", organizationId: acme.id });
    expect(receivables.items.map((a) => [a.organization?.id, a.counterparty?.id, a.currency, a.balance.amountMinor])).toEqual(
      expect.arrayContaining([
        [acme.id, alpha.id, "EUR", "12000"],
        [acme.id, alpha.id, "TND", "123456"],
        [acme.id, beta.id, "EUR", "7000"],
      ]),
    );
    expect(receivables.total).toBe(3);
    const journals = await listJournals(finance, { orderId: orders.a2 });
    expect(journals.items.map((j) => j.kind)).toEqual(["refund", "settlement"]);
    expect(journals.items[1]!.entries.map((e) => [e.account.kind, e.amount.amountMinor])).toEqual([
      ["buyer_receivable", "5000"],
      ["seller_payable", "-4500"],
      ["commission_revenue", "-500"],
    ]);
    expect(journals.items[1]!.order?.reference).toMatch(/^ORD-\d{6}$/);
    expect((await listJournals(finance, { kind: "payout" })).total).toBe(3);
    expect((await domainErrorOf(listJournals(finance, { orderId: "x", kind: "bribe" }))).fieldErrors).toEqual({ orderId: ["journal.filter.order_invalid"], kind: ["journal.filter.kind_invalid"] });

    const payouts = await listPayouts(finance, { sellerId: alpha.id });
    expect(payouts.counts).toMatchObject({ pending: 2, held: 0, paid: 0, failed: 0 });
    expect(payouts.items.map((p) => [p.amount.currency, p.amount.amountMinor, p.status])).toEqual(
      expect.arrayContaining([
        ["EUR", "12600", "pending"],
        ["TND", "117283", "pending"],
      ]),
    );
    const detail = await getPayout(finance, { payoutId });
    expect(detail.payout.reference).toMatch(/^PAY-\d{6}$/);
    expect(detail.journals.map((j) => j.kind)).toEqual(["payout"]);
    expect(detail.totals.net).toEqual(detail.payout.amount);
    expect((await domainErrorOf(getPayout(finance, { payoutId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }))).code).toBe("NOT_FOUND");
  });

  test("operator reads need read:ledger:any: a moderator, a seller and a buyer are FORBIDDEN", async () => {
    for (const who of [moderator, alpha.owner, acme.admin]) {
      for (const call of [
        () => getTrialBalance(who),
        () => listLedgerAccounts(who, {}),
        () => listJournals(who, {}),
        () => listPayouts(who, {}),
        () => getPayout(who, { payoutId }),
      ]) {
        expect((await domainErrorOf(call())).code).toBe("FORBIDDEN");
      }
    }
  });
});

describe("one journal", () => {
  test("a settlement with its entries and the commission rule frozen onto it; a refund has no rule", async () => {
    const [refund, settlement] = (await listJournals(finance, { orderId: orders.a2 })).items;
    const detail = await getJournal(finance, { journalId: settlement!.id });
    expect(detail).toEqual({ ...settlement, rule: { id: expect.any(String), scope: "default", categoryId: null, sellerId: null, currency: "EUR", rateBps: 1000, fixedMinor: "0", floorMinor: "0", capMinor: null } });
    expect(await getJournal(finance, { journalId: refund!.id })).toEqual({ ...refund, rule: null });
    // Frozen: a later change of the rules does not alter what the journal shows (TND: no later test settles in it).
    const tnd = (await listJournals(finance, { orderId: orders.a3, kind: "settlement" })).items[0]!;
    const frozen = (await getJournal(finance, { journalId: tnd.id })).rule!;
    expect(frozen).toMatchObject({ currency: "TND", rateBps: 500 });
    await db.updateTable("commission_rules").set({ archived_at: sql<Date>`now()` }).where("id", "=", frozen.id).execute();
    await commissionRule(db, { currency: "TND", rateBps: 2000 });
    expect((await getJournal(finance, { journalId: tnd.id })).rule).toEqual(frozen);
    expect((await getJournal(finance, { journalId: ` ${settlement!.id.toUpperCase()} ` })).id).toBe(settlement!.id);
  });

  test("needs read:ledger:any (a moderator, a seller and a buyer are FORBIDDEN); an unknown or malformed id is NOT_FOUND", async () => {
    const { id } = (await listJournals(finance, {})).items[0]!;
    for (const who of [moderator, alpha.owner, acme.admin]) expect((await domainErrorOf(getJournal(who, { journalId: id }))).code).toBe("FORBIDDEN");
    for (const journalId of ["5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "42", undefined]) expect((await domainErrorOf(getJournal(finance, { journalId }))).code).toBe("NOT_FOUND");
  });
});

describe("seller reads", () => {
  test("the balance: payable not yet in a payout, frozen by an open dispute, in payouts, and the next payout date", async () => {
    const balance = await getSellerBalance(alpha.owner, { cycleDays: "7" });
    expect(balance.held).toBe(false);
    expect(balance.currencies).toEqual([
      // The disputed order's 1 800 waits; everything else went into a payout.
      { currency: "EUR", payable: { amountMinor: "1800", currency: "EUR" }, frozen: { amountMinor: "1800", currency: "EUR" }, available: { amountMinor: "0", currency: "EUR" }, inPayouts: { amountMinor: "12600", currency: "EUR" } },
      { currency: "TND", payable: { amountMinor: "0", currency: "TND" }, frozen: { amountMinor: "0", currency: "TND" }, available: { amountMinor: "0", currency: "TND" }, inPayouts: { amountMinor: "117283", currency: "TND" } },
    ]);
    const lastRun = await db.selectFrom("payout_runs").select(sql<Date>`max(started_at)`.as("at")).executeTakeFirstOrThrow();
    expect(balance.nextPayoutAt).toBe(new Date(new Date(lastRun.at).getTime() + 7 * 86_400_000).toISOString());
  });

  test("settlements per order: gross, commission, net, refunds, and the payout holding each", async () => {
    const page = await listSellerSettlements(alpha.owner, {});
    expect(page.total).toBe(4);
    const a2 = page.items.find((i) => i.order.id === orders.a2)!;
    expect(a2).toMatchObject({
      buyer: { id: other.id },
      gross: { amountMinor: "5000" },
      commission: { amountMinor: "500" },
      net: { amountMinor: "4500" },
      refunded: { amountMinor: "1000" },
      commissionRefunded: { amountMinor: "100" },
      netRefunded: { amountMinor: "900" },
      payout: { id: payoutId, status: "pending" },
      // The rule as frozen at settlement.
      rule: { id: expect.any(String), scope: "default", categoryId: null, sellerId: null, currency: "EUR", rateBps: 1000, fixedMinor: "0", floorMinor: "0", capMinor: null },
    });
    expect(page.items.find((i) => i.order.id === orders.a3)!.rule).toMatchObject({ currency: "TND", rateBps: 500 });
    expect(page.items.find((i) => i.order.id === orders.disputed)!.payout).toBeNull();
    expect(page.items.every((i) => BigInt(i.net.amountMinor) + BigInt(i.commission.amountMinor) === BigInt(i.gross.amountMinor))).toBe(true);
  });

  test("a payout's statement lists each journal with its order, gross, commission and net; the totals make the payout", async () => {
    expect((await listSellerPayouts(alpha.owner, {})).items.map((p) => p.amount.currency).sort()).toEqual(["EUR", "TND"]);
    const statement = await getSellerPayoutStatement(alpha.owner, { payoutId });
    expect(statement.lines.map((l) => [l.kind, l.gross.amountMinor, l.commission.amountMinor, l.net.amountMinor])).toEqual([
      ["settlement", "10000", "1000", "9000"],
      ["settlement", "5000", "500", "4500"],
      ["refund", "-1000", "-100", "-900"],
    ]);
    expect(statement.lines[0]!.order?.reference).toMatch(/^ORD-\d{6}$/);
    expect(statement.totals).toEqual({ gross: { amountMinor: "14000", currency: "EUR" }, commission: { amountMinor: "1400", currency: "EUR" }, net: { amountMinor: "12600", currency: "EUR" } });
  });

  test("the statement as CSV: headers in the seller's language, exact decimals (negative refunds), no formula from a buyer's name", async () => {
    const en = await sellerPayoutStatementCsv(alpha.owner, { payoutId, locale: "en" });
    expect(en.fileName).toMatch(/^souk-pay-\d{6}-statement\.csv$/);
    const lines = en.csv.split("\r\n");
    expect(lines[0]).toBe("Journal,Kind,Order,Buyer,Date,Currency,Gross,Commission,Net");
    expect(lines[1]).toMatch(/^\d+,Settlement,ORD-\d{6},"'=HYPERLINK\(""http:\/\/evil""\)",\d{4}-\d{2}-\d{2},EUR,100\.00,10\.00,90\.00$/);
    expect(lines[3]).toMatch(/^\d+,Refund,ORD-\d{6},Société Générale d'Achats,\d{4}-\d{2}-\d{2},EUR,-10\.00,-1\.00,-9\.00$/);
    expect(lines[4]).toMatch(/^Total,,PAY-\d{6},,,EUR,140\.00,14\.00,126\.00$/);
    expect(lines[5]).toBe("");
    const fr = await sellerPayoutStatementCsv(alpha.owner, { payoutId, locale: "fr" });
    expect(fr.fileName).toMatch(/-releve\.csv$/);
    expect(fr.csv.split("\r\n")[0]).toBe("Écriture,Type,Commande,Acheteur,Date,Devise,Brut,Commission,Net");
    expect(fr.csv).toContain(",Remboursement,");
  });

  test("the statement as PDF (pdf-lib): a valid document in both languages, pages as needed, any name drawable", async () => {
    const { fileName, pdf } = await sellerPayoutStatementPdf(alpha.owner, { payoutId, locale: "fr" });
    expect(fileName).toMatch(/^souk-pay-\d{6}-releve\.pdf$/);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toMatch(/^Relevé de versement PAY-\d{6}$/);

    // 120 lines and a seller name no WinAnsi font can draw.
    const statement = await getSellerPayoutStatement(alpha.owner, { payoutId });
    const line = statement.lines[0]!;
    const long = { ...statement, payout: { ...statement.payout, seller: { id: "x", name: "شركة التوريد 🚚 Łódź" } }, lines: Array.from({ length: 120 }, () => ({ ...line, buyer: { id: "y", name: "Ørsted ⚡ ООО «Поставка»" } })) };
    const big = await PDFDocument.load(await renderStatementPdf(long, "en"));
    expect(big.getPageCount()).toBe(3);

    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    expect(winAnsiSafe("Société Générale — 1\u202f234,50 €", font)).toBe("Société Générale — 1\u00a0234,50 €");
    expect(winAnsiSafe("Łódź 🚚 Ωmega", font)).toBe("Lódz ? ?mega");
  });

  test("a seller never reads another seller's settlements, payouts or statements; only owners read money", async () => {
    expect((await listSellerSettlements(beta.owner, {})).items.map((i) => i.order.id)).toEqual([orders.b1]);
    expect((await listSellerPayouts(beta.owner, {})).items.every((p) => p.seller.id === beta.id)).toBe(true);
    for (const call of [
      () => getSellerPayoutStatement(beta.owner, { payoutId }),
      () => sellerPayoutStatementCsv(beta.owner, { payoutId }),
      () => sellerPayoutStatementPdf(beta.owner, { payoutId }),
      () => getOrderMoney(beta.owner, { orderId: orders.a1 }),
    ]) {
      expect((await domainErrorOf(call())).code).toBe("NOT_FOUND");
    }
    const betaBalance = await getSellerBalance(beta.owner, {});
    expect(betaBalance.currencies.map((c) => [c.currency, c.inPayouts.amountMinor])).toEqual([["EUR", "6300"]]);
    for (const who of [alpha.sales, alpha.fulfilment, acme.admin, finance]) {
      for (const call of [
        () => getSellerBalance(who, {}),
        () => listSellerSettlements(who, {}),
        () => listSellerPayouts(who, {}),
        () => getSellerPayoutStatement(who, { payoutId }),
        () => sellerPayoutStatementCsv(who, { payoutId }),
      ]) {
        expect((await domainErrorOf(call())).code).toBe("FORBIDDEN");
      }
    }
  });
});

describe("buyer reads and an order's money", () => {
  test("a buyer sees what it owes per seller and currency, never another buyer's", async () => {
    const balances = await getBuyerBalances(acme.viewer);
    expect(balances.map((b) => [b.seller.id, b.currency, b.owed.amountMinor]).sort()).toEqual(
      [
        [alpha.id, "EUR", "12000"],
        [alpha.id, "TND", "123456"],
        [beta.id, "EUR", "7000"],
      ].sort(),
    );
    expect(await getBuyerBalances(other.admin)).toEqual([{ seller: { id: alpha.id, name: alpha.name }, currency: "EUR", owed: { amountMinor: "4000", currency: "EUR" } }]);
    const stranger = await buyer(db);
    expect(await getBuyerBalances(stranger.admin)).toEqual([]);
    for (const who of [alpha.owner, finance]) expect((await domainErrorOf(getBuyerBalances(who))).code).toBe("FORBIDDEN");
  });

  test("an order's money: the buyer sees gross and refunds only; the seller and operators the commission, net, rule and payout; anyone else NOT_FOUND", async () => {
    const forBuyer = await getOrderMoney(other.purchaser, { orderId: orders.a2 });
    expect(forBuyer).toMatchObject({ gross: { amountMinor: "5000" }, settled: true, frozen: false, commission: null, net: null, rule: null, payout: null, refunded: { amountMinor: "1000" } });
    expect(forBuyer.refunds).toEqual([{ id: expect.any(String), amount: { amountMinor: "1000", currency: "EUR" }, commission: null, net: null, createdAt: expect.any(String) }]);
    const forSeller = await getOrderMoney(alpha.owner, { orderId: orders.a2 });
    expect(forSeller).toMatchObject({ commission: { amountMinor: "500" }, net: { amountMinor: "4500" }, rule: { scope: "default", rateBps: 1000 }, payout: { id: payoutId } });
    expect(forSeller.refunds[0]).toMatchObject({ commission: { amountMinor: "100" }, net: { amountMinor: "900" } });
    expect((await getOrderMoney(finance, { orderId: orders.disputed })).frozen).toBe(true);
    expect((await getOrderMoney(moderator, { orderId: orders.disputed })).net).toEqual({ amountMinor: "1800", currency: "EUR" });
    for (const [who, orderId] of [
      [acme.admin, orders.a2],
      [other.admin, orders.a1],
      [beta.owner, orders.a2],
    ] as const) {
      expect((await domainErrorOf(getOrderMoney(who, { orderId }))).code).toBe("NOT_FOUND");
    }
    expect((await domainErrorOf(getOrderMoney(alpha.fulfilment, { orderId: orders.a1 }))).code).toBe("FORBIDDEN");
  });

  test("a failed payout's statement line and the seller's balance after it", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settled(b.id, s.id, 1_000);
    await runPayouts(deps, { runId: await payoutRun(db) });
    const first = (await listSellerPayouts(s.owner, {})).items[0]!;
    await markPayoutFailed(finance, { payoutId: first.id, reason: "Bounced" });
    expect((await getSellerBalance(s.owner, {})).currencies).toEqual([
      { currency: "EUR", payable: { amountMinor: "900", currency: "EUR" }, frozen: { amountMinor: "0", currency: "EUR" }, available: { amountMinor: "900", currency: "EUR" }, inPayouts: { amountMinor: "0", currency: "EUR" } },
    ]);
    await runPayouts(deps, { runId: await payoutRun(db) });
    const second = (await listSellerPayouts(s.owner, { status: "pending" })).items[0]!;
    const statement = await getSellerPayoutStatement(s.owner, { payoutId: second.id });
    expect(statement.lines.map((l) => [l.kind, l.order, l.failedPayout?.id, l.net.amountMinor])).toEqual([["payout_failed", null, first.id, "900"]]);
  });
});

describe("the next payout date", () => {
  test("the last run (any trigger) + the cycle; now when that is past; none without a schedule (cycle 0); a cycle outside 0..365 is a field error", async () => {
    const s = await moneySeller(db);
    const dbNow = async () => (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now.getTime();
    const day = 86_400_000;
    const start = await dbNow();
    // started_at is never updated by the code (the column type says so): set it straight in SQL.
    await sql`update payout_runs set started_at = ${new Date(start - 3 * day).toISOString()}::timestamptz`.execute(db);
    expect((await getSellerBalance(s.owner, { cycleDays: 10 })).nextPayoutAt).toBe(new Date(start + 7 * day).toISOString());
    // An operator's run restarts the cycle, as the schedule counts it.
    await db.insertInto("payout_runs").values({ trigger: "operator", started_at: sql<Date>`${new Date(start - day).toISOString()}::timestamptz` }).execute();
    expect((await getSellerBalance(s.owner, { cycleDays: 10 })).nextPayoutAt).toBe(new Date(start + 9 * day).toISOString());
    // Overdue (the worker has not checked the schedule yet): due now.
    const before = await dbNow();
    const overdue = new Date((await getSellerBalance(s.owner, { cycleDays: 1 })).nextPayoutAt!).getTime();
    expect(overdue).toBeGreaterThanOrEqual(before);
    expect(overdue).toBeLessThanOrEqual(await dbNow());
    expect((await getSellerBalance(s.owner, { cycleDays: 0 })).nextPayoutAt).toBeNull();
    for (const cycleDays of [-1, 366, 1.5, "ten"]) expect((await domainErrorOf(getSellerBalance(s.owner, { cycleDays }))).fieldErrors).toEqual({ cycleDays: ["payout.cycle_invalid"] });
  });
});
