import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, startAppProcess, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-money-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const { runPayouts, settleOrder } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const commissionPage = await import("./routes/commission");
const ledgerPage = await import("./routes/ledger");
const accountsPage = await import("./routes/ledger_.accounts");
const journalsPage = await import("./routes/ledger_.journals");
const journalPage = await import("./routes/ledger_.journals_.$journalId");
const orderMoneyPage = await import("./routes/ledger_.orders.$orderId");
const payoutsPage = await import("./routes/payouts");
const payoutPage = await import("./routes/payouts_.$payoutId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller" | "operator", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

const operatorOrg = await org("operator", "Souk");

/** An operator of `role` signed in to the operator app: its session cookie. */
async function operator(role: "admin" | "moderator" | "finance") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@ops.money.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: operatorOrg, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "operator", activeOrganizationId: operatorOrg, ip: null, userAgent: null });
  return `${sessionCookieName("operator")}=${token}`;
}

/** A delivered order written straight in the tables (the lifecycle is tested with the orders services). */
async function deliveredOrder(buyerId: string, sellerId: string, totalMinor: bigint, currency = "EUR") {
  const row = await db
    .insertInto("orders")
    .values({ buyer_id: buyerId, seller_id: sellerId, currency, total_minor: totalMinor, status: "delivered", delivered_at: new Date(), delivery_confirmed_by: "buyer" })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  await db
    .insertInto("order_lines")
    .values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Pallet", unit: "pallet", quantity: 1, unit_price_minor: totalMinor, line_total_minor: totalMinor })
    .execute();
  return row;
}

const liveRules = async () => db.selectFrom("commission_rules").selectAll().where("archived_at", "is", null).execute();
const allRules = async () => db.selectFrom("commission_rules").select("id").execute();

const finance = await operator("finance");
const moderator = await operator("moderator");
const admin = await operator("admin");

describe("the operator's money pages", () => {
  it("are in the navigation under the money permissions", () => {
    expect(NAVIGATION).toEqual(
      expect.arrayContaining([
        { to: "/commission", label: "moneyNav.commission", permission: "manage:commission:any" },
        { to: "/ledger", label: "moneyNav.ledger", permission: "read:ledger:any" },
        { to: "/payouts", label: "moneyNav.payouts", permission: "run:settlement:any" },
      ]),
    );
  });

  it("are closed to a moderator: no reading, and a commission rule it sends changes nothing (403)", async () => {
    for (const [loader, url] of [
      [commissionPage.loader, "/commission"],
      [ledgerPage.loader, "/ledger"],
      [accountsPage.loader, "/ledger/accounts"],
      [journalsPage.loader, "/ledger/journals"],
      [payoutsPage.loader, "/payouts"],
    ] as const) {
      expect((await call(loader, request(url, { cookie: moderator }))).status, url).toBe(403);
    }
    const form = { intent: "save", scope: "default", currency: "EUR", ratePercent: "5", fixed: "0", floor: "0", cap: "" };
    expect((await call(commissionPage.action, request("/commission", { form, cookie: moderator }))).status).toBe(403);
    expect((await call(payoutsPage.action, request("/payouts", { form: { intent: "run" }, cookie: moderator }))).status).toBe(403);
    expect(await allRules()).toEqual([]);
    expect(await db.selectFrom("payout_runs").select("id").execute()).toEqual([]);
    // Signed out: to sign-in.
    expect((await call(commissionPage.loader, request("/commission"))).status).toBe(302);
  });

  it("commission rules: the seller of a seller rule is picked by name among the active sellers, not typed", async () => {
    const nord = await org("seller", "Atelier Nord");
    const sud = await org("seller", "Atelier Sud");
    await db.insertInto("organizations").values([{ kind: "seller", name: "Atelier Pending", status: "pending" }, { kind: "seller", name: "Atelier Suspended", status: "suspended" }, { kind: "buyer", name: "Atelier Buyer", status: "active" }]).execute();
    const page = await call(commissionPage.loader, request("/commission", { cookie: finance }));
    expect(page.data).toMatchObject({ sellerQuery: "", sellers: { sellers: [{ id: nord, name: "Atelier Nord" }, { id: sud, name: "Atelier Sud" }], truncated: false } });
    const found = await call(commissionPage.loader, request("/commission?sellerQ=+sud+", { cookie: finance }));
    expect(found.data).toMatchObject({ sellerQuery: "sud", sellers: { sellers: [{ id: sud, name: "Atelier Sud" }] } });

    // The chosen option's value is the seller's id: the rule names that seller.
    const saved = await call(commissionPage.action, request("/commission?sellerQ=sud", { form: { intent: "save", scope: "seller", sellerId: sud, currency: "EUR", ratePercent: "1.5", fixed: "", floor: "", cap: "" }, cookie: finance }));
    expect(saved.status).toBe(302);
    const rule = await db.selectFrom("commission_rules").select(["id", "seller_id", "rate_bps"]).where("scope", "=", "seller").executeTakeFirstOrThrow();
    expect(rule).toMatchObject({ seller_id: sud, rate_bps: 150 });
    expect((await call(commissionPage.loader, request("/commission", { cookie: finance }))).data).toMatchObject({ rules: [{ scope: "seller", seller: { id: sud, name: "Atelier Sud" } }] });
    // Only the commission managers list sellers here.
    expect((await call(commissionPage.loader, request("/commission?sellerQ=sud", { cookie: moderator }))).status).toBe(403);
    await db.deleteFrom("commission_rules").where("id", "=", rule.id).execute();
  });

  it("commission rules: finance adds, replaces, previews and archives; a floor above the cap is refused with field errors and changes nothing", async () => {
    const added = await call(commissionPage.action, request("/commission", { form: { intent: "save", scope: "default", currency: "EUR", ratePercent: "2.5", fixed: "0,30", floor: "1", cap: "50" }, cookie: finance }));
    expect(added.status).toBe(302);
    expect(added.location).toBe("/commission");
    expect(added.headers.get("set-cookie")).toContain("flash.commission.saved");

    const page = await call(commissionPage.loader, request("/commission", { cookie: finance }));
    expect(page.status).toBe(200);
    const { rules, categories } = page.data as { rules: { id: string; scope: string; rateBps: number; fixed: unknown; floor: unknown; cap: unknown }[]; categories: unknown[] };
    expect(rules).toEqual([
      expect.objectContaining({ scope: "default", rateBps: 250, fixed: { amountMinor: "30", currency: "EUR" }, floor: { amountMinor: "100", currency: "EUR" }, cap: { amountMinor: "5000", currency: "EUR" } }),
    ]);
    expect(categories.length).toBeGreaterThan(0);
    const ruleId = rules[0]!.id;

    // Floor above cap: 422, both fields say why, in French for a French reader; nothing written.
    const before = await allRules();
    const refused = await call(
      commissionPage.action,
      request("/commission", { form: { intent: "save", ruleId, scope: "default", currency: "EUR", ratePercent: "3", fixed: "0", floor: "60", cap: "50" }, cookie: finance, acceptLanguage: "fr" }),
    );
    expect(refused.status).toBe(422);
    const failure = refused.data as Failure;
    expect(failure.fieldErrors.floor?.[0]).toMatch(/plancher dépasse le plafond/);
    expect(failure.fieldErrors.cap?.[0]).toMatch(/plancher dépasse le plafond/);
    expect(failure.values).toMatchObject({ intent: "save", floor: "60", cap: "50" });
    expect(await allRules()).toEqual(before);
    expect((await liveRules()).map((r) => r.id)).toEqual([ruleId]);

    // A second default rule for the same currency is refused (a whole-form error), not silently added.
    const clash = await call(commissionPage.action, request("/commission", { form: { intent: "save", scope: "default", currency: "EUR", ratePercent: "3", fixed: "", floor: "", cap: "" }, cookie: finance }));
    expect(clash.status).toBe(422);
    expect((clash.data as Failure).formError).toBeTruthy();

    // Replace: the old rule is archived, the new one is live.
    const replaced = await call(commissionPage.action, request("/commission", { form: { intent: "save", ruleId, scope: "default", currency: "EUR", ratePercent: "10", fixed: "", floor: "", cap: "" }, cookie: finance }));
    expect(replaced.status).toBe(302);
    expect(replaced.headers.get("set-cookie")).toContain("flash.commission.replaced");
    const live = await liveRules();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ rate_bps: 1000, cap_minor: null });
    expect(live[0]!.id).not.toBe(ruleId);

    // Preview: 10 % of 123.45 EUR.
    const preview = await call(commissionPage.action, request("/commission", { form: { intent: "preview", currency: "EUR", amount: "123.45", sellerId: "", categoryId: "" }, cookie: finance }));
    expect(preview.status).toBe(200);
    expect(preview.data).toMatchObject({
      ok: true,
      intent: "preview",
      preview: { gross: { amountMinor: "12345" }, commission: { amountMinor: "1235" }, net: { amountMinor: "11110" }, rule: { id: live[0]!.id } },
      values: { amount: "123.45" },
    });
    const badPreview = await call(commissionPage.action, request("/commission", { form: { intent: "preview", currency: "EUR", amount: "12.345" }, cookie: finance }));
    expect(badPreview.status).toBe(422);
    expect((badPreview.data as Failure).fieldErrors.amount).toHaveLength(1);
    expect((badPreview.data as Failure).values.intent).toBe("preview");

    // A preview in a currency without any rule says so.
    const none = await call(commissionPage.action, request("/commission", { form: { intent: "preview", currency: "USD", amount: "100" }, cookie: finance }));
    expect(none.data).toMatchObject({ preview: { rule: null, commission: null } });

    // Archive, then archiving again is refused with a message.
    const archived = await call(commissionPage.action, request("/commission", { form: { intent: "archive", ruleId: live[0]!.id }, cookie: finance }));
    expect(archived.status).toBe(302);
    expect(await liveRules()).toEqual([]);
    const again = await call(commissionPage.action, request("/commission", { form: { intent: "archive", ruleId: live[0]!.id }, cookie: finance }));
    expect(again.status).toBe(409);
    expect((again.data as Failure).formError).toBeTruthy();
    // An unknown intent changes nothing.
    expect((await call(commissionPage.action, request("/commission", { form: { intent: "drop", ruleId: ruleId }, cookie: finance }))).status).toBe(422);
    // An unknown rule in the archive button's field is a field error of the form, not a 404 page.
    const unknown = await call(commissionPage.action, request("/commission", { form: { intent: "archive", ruleId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }, cookie: finance }));
    expect(unknown.status).toBe(422);
    expect((unknown.data as Failure).fieldErrors.ruleId).toEqual(["This commission rule does not exist (any more)."]);
  });

  it("the ledger: a zero trial balance, the accounts, an order's journals with their entries and the rule frozen onto its settlement", async () => {
    await call(commissionPage.action, request("/commission", { form: { intent: "save", scope: "default", currency: "EUR", ratePercent: "10", fixed: "0.50", floor: "", cap: "" }, cookie: admin }));
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const order = await deliveredOrder(buyer, seller, 20_000n);
    expect(await settleOrder(services, { orderId: order.id })).toMatchObject({ status: "settled" });

    const trial = await call(ledgerPage.loader, request("/ledger", { cookie: finance }));
    expect(trial.status).toBe(200);
    expect(trial.data).toMatchObject({ view: { balanced: true, currencies: [{ currency: "EUR", debits: { amountMinor: "20000" }, credits: { amountMinor: "20000" }, balance: { amountMinor: "0" } }] } });

    const accounts = await call(accountsPage.loader, request(`/ledger/accounts?kind=seller_payable&organizationId=${seller}`, { cookie: finance }));
    expect(accounts.data).toMatchObject({ view: { total: 1, items: [{ kind: "seller_payable", organization: { id: seller, name: "Cartonnerie du Rhône" }, balance: { amountMinor: "-17950" } }] } });
    const badKind = await call(accountsPage.loader, request("/ledger/accounts?kind=petty_cash", { cookie: finance }));
    expect(badKind.data).toMatchObject({ filterErrors: { kind: [expect.any(String)] }, view: { total: 3 } });

    const journals = await call(journalsPage.loader, request(`/ledger/journals?orderId=${order.id}`, { cookie: finance }));
    expect(journals.data).toMatchObject({ view: { total: 1, items: [{ kind: "settlement", order: { id: order.id }, idempotencyKey: `settlement:${order.id}` }] } });
    const entries = (journals.data as { view: { items: { entries: { amount: { amountMinor: string } }[] }[] } }).view.items[0]!.entries;
    expect(entries.map((e) => e.amount.amountMinor).sort()).toEqual(["-17950", "-2050", "20000"]);

    // One journal: its entries and the rule frozen onto the settlement.
    const journalId = (journals.data as { view: { items: { id: string }[] } }).view.items[0]!.id;
    const journal = await call(journalPage.loader, request(`/ledger/journals/${journalId}`, { cookie: finance }), { journalId });
    expect(journal.status).toBe(200);
    expect(journal.data).toMatchObject({ journal: { id: journalId, kind: "settlement", order: { id: order.id }, entries: [{}, {}, {}], rule: { scope: "default", currency: "EUR", rateBps: 1000, fixedMinor: "50", floorMinor: "0", capMinor: null } } });
    expect((await call(journalPage.loader, request(`/ledger/journals/${journalId}`, { cookie: moderator }), { journalId })).status).toBe(403);
    for (const missing of ["00000000-0000-4000-8000-000000000000", "nope"]) expect((await call(journalPage.loader, request(`/ledger/journals/${missing}`, { cookie: finance }), { journalId: missing })).status).toBe(404);

    const money = await call(orderMoneyPage.loader, request(`/ledger/orders/${order.id}`, { cookie: finance }), { orderId: order.id });
    expect(money.data).toMatchObject({ money: { settled: true, commission: { amountMinor: "2050" }, net: { amountMinor: "17950" }, rule: { scope: "default", rateBps: 1000, fixedMinor: "50" } } });
    expect((await call(orderMoneyPage.loader, request(`/ledger/orders/${order.id}`, { cookie: moderator }), { orderId: order.id })).status).toBe(403);
    expect((await call(orderMoneyPage.loader, request("/ledger/orders/nope", { cookie: finance }), { orderId: "nope" })).status).toBe(404);
  });

  it("payouts: run now, mark paid with a reference (required), mark failed with a reason; a held seller's payout cannot be paid", async () => {
    if ((await liveRules()).length === 0) await db.insertInto("commission_rules").values({ scope: "default", currency: "EUR", rate_bps: 500 }).execute();
    const buyer = await org("buyer", "Hotel Lumière");
    const paidSeller = await org("seller", "Atelier Paid");
    const heldSeller = await org("seller", "Atelier Held");
    for (const seller of [paidSeller, heldSeller]) {
      const order = await deliveredOrder(buyer, seller, 10_000n);
      await settleOrder(services, { orderId: order.id });
    }

    const run = await call(payoutsPage.action, request("/payouts", { form: { intent: "run" }, cookie: finance }));
    expect(run.status).toBe(302);
    expect(run.headers.get("set-cookie")).toContain("flash.payouts.runRequested");
    const runRow = await db.selectFrom("payout_runs").select(["id", "trigger"]).executeTakeFirstOrThrow();
    expect(runRow.trigger).toBe("operator");
    await runPayouts(services, { runId: runRow.id });

    const list = await call(payoutsPage.loader, request("/payouts?status=pending", { cookie: finance }));
    const items = (list.data as { view: { items: { id: string; seller: { id: string }; status: string }[] } }).view.items;
    const paidPayout = items.find((p) => p.seller.id === paidSeller)!;
    const heldPayout = items.find((p) => p.seller.id === heldSeller)!;
    expect(paidPayout).toBeDefined();
    expect(heldPayout).toBeDefined();
    const bySeller = await call(payoutsPage.loader, request(`/payouts?sellerId=${paidSeller}`, { cookie: finance }));
    expect(bySeller.data).toMatchObject({ view: { total: 1, items: [{ id: paidPayout.id }] } });

    const detail = await call(payoutPage.loader, request(`/payouts/${paidPayout.id}`, { cookie: finance }), { payoutId: paidPayout.id });
    expect(detail.data).toMatchObject({ detail: { payout: { id: paidPayout.id, status: "pending" }, lines: [{ kind: "settlement" }], totals: { net: { amountMinor: expect.any(String) } } } });

    // The reference is required; nothing changes without it.
    const noReference = await call(payoutPage.action, request(`/payouts/${paidPayout.id}`, { form: { intent: "paid", reference: " " }, cookie: finance }), { payoutId: paidPayout.id });
    expect(noReference.status).toBe(422);
    expect((noReference.data as Failure).fieldErrors.reference).toHaveLength(1);
    expect((await db.selectFrom("payouts").select("status").where("id", "=", paidPayout.id).executeTakeFirstOrThrow()).status).toBe("pending");

    const paid = await call(payoutPage.action, request(`/payouts/${paidPayout.id}`, { form: { intent: "paid", reference: "VIR-2026-0042" }, cookie: finance }), { payoutId: paidPayout.id });
    expect(paid.status).toBe(302);
    expect(paid.headers.get("set-cookie")).toContain("flash.payout.paid");
    expect(await db.selectFrom("payouts").select(["status", "provider_reference"]).where("id", "=", paidPayout.id).executeTakeFirstOrThrow()).toEqual({ status: "paid", provider_reference: "VIR-2026-0042" });
    // Once paid, it cannot be marked failed.
    const late = await call(payoutPage.action, request(`/payouts/${paidPayout.id}`, { form: { intent: "failed", reason: "Bounced" }, cookie: finance }), { payoutId: paidPayout.id });
    expect(late.status).toBe(409);

    // The seller is suspended: its payout is held and cannot be paid (a clear error, nothing written).
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", heldSeller).execute();
    await db.updateTable("payouts").set({ status: "held" }).where("id", "=", heldPayout.id).execute();
    const heldPage = await call(payoutPage.loader, request(`/payouts/${heldPayout.id}`, { cookie: finance }), { payoutId: heldPayout.id });
    expect(heldPage.data).toMatchObject({ detail: { payout: { status: "held" } } });
    const journalsBefore = await db.selectFrom("journals").select("id").execute();
    const heldPay = await call(payoutPage.action, request(`/payouts/${heldPayout.id}`, { form: { intent: "paid", reference: "VIR-1" }, cookie: finance }), { payoutId: heldPayout.id });
    expect(heldPay.status).toBe(422);
    expect((heldPay.data as Failure).formError).toMatch(/suspended/);
    expect(await db.selectFrom("journals").select("id").execute()).toEqual(journalsBefore);
    expect((await db.selectFrom("payouts").select("status").where("id", "=", heldPayout.id).executeTakeFirstOrThrow()).status).toBe("held");

    // Reinstated and pending again, it fails with a reason (required).
    await db.updateTable("organizations").set({ status: "active" }).where("id", "=", heldSeller).execute();
    await db.updateTable("payouts").set({ status: "pending" }).where("id", "=", heldPayout.id).execute();
    const noReason = await call(payoutPage.action, request(`/payouts/${heldPayout.id}`, { form: { intent: "failed", reason: "" }, cookie: finance }), { payoutId: heldPayout.id });
    expect(noReason.status).toBe(422);
    expect((noReason.data as Failure).fieldErrors.reason).toHaveLength(1);
    const failed = await call(payoutPage.action, request(`/payouts/${heldPayout.id}`, { form: { intent: "failed", reason: "IBAN closed" }, cookie: finance }), { payoutId: heldPayout.id });
    expect(failed.status).toBe(302);
    expect((await db.selectFrom("payouts").select(["status", "failure_reason"]).where("id", "=", heldPayout.id).executeTakeFirstOrThrow())).toEqual({ status: "failed", failure_reason: "IBAN closed" });

    // A moderator cannot decide payouts; an unknown payout is not found.
    expect((await call(payoutPage.action, request(`/payouts/${paidPayout.id}`, { form: { intent: "failed", reason: "x" }, cookie: moderator }), { payoutId: paidPayout.id })).status).toBe(403);
    expect((await call(payoutPage.loader, request("/payouts/00000000-0000-4000-8000-000000000000", { cookie: finance }), { payoutId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);

    // The books still balance.
    expect((await call(ledgerPage.loader, request("/ledger", { cookie: finance }))).data).toMatchObject({ view: { balanced: true } });
  });

  it("render through the real server (server.ts): seller picked by name, journals linked to their page with the frozen rule, the dispute's link to the ledger", async () => {
    const settlement = await db.selectFrom("journals").select(["id", "order_id"]).where("kind", "=", "settlement").orderBy("number").executeTakeFirstOrThrow();
    const payoutJournal = await db.selectFrom("journals").select(["id", "payout_id"]).where("kind", "=", "payout").orderBy("number").executeTakeFirstOrThrow();
    const order = await db.selectFrom("orders").select(["id", "buyer_id", "seller_id"]).where("id", "=", settlement.order_id!).executeTakeFirstOrThrow();
    const dispute = await db.insertInto("disputes").values({ order_id: order.id, buyer_id: order.buyer_id, seller_id: order.seller_id, reason: "Late." }).returning("id").executeTakeFirstOrThrow();
    const sud = (await db.selectFrom("organizations").select("id").where("name", "=", "Atelier Sud").executeTakeFirstOrThrow()).id;

    const server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, STORAGE_DIR: storageDir });
    try {
      const page = async (pathname: string, cookie: string) => {
        const response = await fetch(`${server.url}${pathname}`, { redirect: "manual", headers: { cookie, "accept-language": "en" } });
        const html = await response.text();
        expect(response.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
        return html;
      };
      // The rule form offers the active sellers by name; the search narrows them.
      const commission = await page("/commission", finance);
      expect(commission).toMatch(new RegExp(`<select[^>]*name="sellerId"[^>]*>[\\s\\S]*<option value="${sud}">Atelier Sud</option>`));
      expect(commission).not.toContain("Atelier Pending");
      expect(await page("/commission?sellerQ=nord", finance)).not.toContain(`<option value="${sud}">`);

      expect(await page("/ledger/journals", finance)).toContain(`href="/ledger/journals/${settlement.id}"`);
      const journal = await page(`/ledger/journals/${settlement.id}`, finance);
      expect(journal).toContain("Commission rule applied");
      expect(journal).toContain("10 % + €0.50");
      expect(journal).toContain(`href="/ledger/orders/${order.id}"`);
      expect(await page(`/payouts/${payoutJournal.payout_id}`, finance)).toContain(`href="/ledger/journals/${payoutJournal.id}"`);

      // The dispute's page links the order's ledger page for an admin (who reads the ledger), not for a moderator.
      expect(await page(`/disputes/${dispute.id}`, admin)).toContain(`href="/ledger/orders/${order.id}"`);
      expect(await page(`/disputes/${dispute.id}`, moderator)).not.toContain(`href="/ledger/orders/${order.id}"`);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
