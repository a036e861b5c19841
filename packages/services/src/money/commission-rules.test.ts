import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { archiveCommissionRule } from "./archive-commission-rule";
import { COMMISSION_SELLERS_LIMIT, listCommissionSellers } from "./list-commission-sellers";
import { listCommissionRules } from "./list-commission-rules";
import { previewCommission } from "./preview-commission";
import { saveCommissionRule } from "./save-commission-rule";
import { settleOrder } from "./settle-order";
import { buyer, categoryId, moneyRowCounts, moneySeller, operator, order } from "./test-support";

const { db } = await createTestDatabase();
const finance = await operator(db, "finance");
const admin = await operator(db, "admin");
const moderator = await operator(db, "moderator");

const form = (fields: Record<string, string>) => ({ scope: "default", categoryId: "", sellerId: "", currency: "EUR", ratePercent: "10", fixed: "", floor: "", cap: "", ...fields });

describe("commission rules", () => {
  test("finance saves a default, a category and a seller rule; the list shows them with names; the audit log records each", async () => {
    const s = await moneySeller(db);
    const boxes = await categoryId(db, "packaging-boxes");
    const def = await saveCommissionRule(finance, form({ ratePercent: "2,5", fixed: "0.30", floor: "1", cap: "50" }));
    expect(def).toEqual({ ruleId: expect.any(String), replacedRuleId: null });
    await saveCommissionRule(admin, form({ scope: "category", categoryId: boxes, ratePercent: "3" }));
    await saveCommissionRule(finance, form({ scope: "seller", sellerId: s.id, ratePercent: "1.5", currency: "jpy", fixed: "20" }));

    const rules = await listCommissionRules(finance);
    expect(rules.map((r) => [r.currency, r.scope, r.rateBps])).toEqual([
      ["EUR", "default", 250],
      ["EUR", "category", 300],
      ["JPY", "seller", 150],
    ]);
    expect(rules[0]).toMatchObject({ fixed: { amountMinor: "30", currency: "EUR" }, floor: { amountMinor: "100" }, cap: { amountMinor: "5000" }, archivedAt: null, category: null, seller: null });
    expect(rules[1]!.category).toMatchObject({ id: boxes, slug: "packaging-boxes", nameEn: "Boxes and cartons", nameFr: "Boîtes et cartons" });
    expect(rules[2]).toMatchObject({ seller: { id: s.id, name: s.name }, fixed: { amountMinor: "20", currency: "JPY" }, cap: null });
    expect((await listCommissionRules(finance, { currency: "JPY" })).map((r) => r.scope)).toEqual(["seller"]);
    const audit = await db.selectFrom("audit_log").select(["action", "target_id", "data"]).where("action", "=", "commission_rule.saved").execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ target_id: def.ruleId, data: { scope: "default", currency: "EUR", rateBps: 250, fixedMinor: "30", floorMinor: "100", capMinor: "5000", replacedRuleId: null } });
  });

  test("an edit archives the old rule and writes a new one (history kept); a second live rule for the same key is refused", async () => {
    const first = await saveCommissionRule(finance, form({ currency: "TND", ratePercent: "1" }));
    const clash = await domainErrorOf(saveCommissionRule(finance, form({ currency: "TND", ratePercent: "2" })));
    expect([clash.code, clash.fieldErrors]).toEqual(["VALIDATION", { _form: ["commission.rule_exists"] }]);
    const second = await saveCommissionRule(finance, form({ ruleId: first.ruleId, currency: "TND", ratePercent: "2" }));
    expect(second.replacedRuleId).toBe(first.ruleId);
    expect((await listCommissionRules(finance, { currency: "TND" })).map((r) => [r.id, r.rateBps])).toEqual([[second.ruleId, 200]]);
    const history = await listCommissionRules(finance, { currency: "TND", archived: "1" });
    expect(history.map((r) => [r.id, r.archivedAt === null])).toEqual([
      [second.ruleId, true],
      [first.ruleId, false],
    ]);
    // The archived one cannot be edited or archived again.
    expect((await domainErrorOf(saveCommissionRule(finance, form({ ruleId: first.ruleId, currency: "TND" })))).fieldErrors).toEqual({ _form: ["commission.rule_archived"] });
    expect((await domainErrorOf(archiveCommissionRule(finance, { ruleId: first.ruleId }))).code).toBe("CONFLICT");
    expect(await archiveCommissionRule(finance, { ruleId: second.ruleId })).toEqual({ ruleId: second.ruleId });
    expect(await listCommissionRules(finance, { currency: "TND" })).toEqual([]);
    expect(await db.selectFrom("audit_log").select("target_id").where("action", "=", "commission_rule.archived").execute()).toEqual([{ target_id: second.ruleId }]);
    // The rule is a field of the archive and replace forms: an unknown one is a field error.
    for (const ruleId of ["5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "nope"]) {
      expect(await domainErrorOf(archiveCommissionRule(finance, { ruleId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { ruleId: ["commission.rule_unknown"] } });
      expect(await domainErrorOf(saveCommissionRule(finance, form({ ruleId, currency: "TND" })))).toMatchObject({ code: "VALIDATION", fieldErrors: { ruleId: ["commission.rule_unknown"] } });
    }
  });

  test("bad input is a field error and writes nothing: floor above cap, rate, amounts, decimals, currency, unknown category or seller", async () => {
    const before = await moneyRowCounts(db);
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ floor: "10", cap: "5" }, { floor: ["commission.floor_above_cap"], cap: ["commission.floor_above_cap"] }],
      [{ ratePercent: "100.5" }, { ratePercent: ["commission.rate_invalid"] }],
      [{ ratePercent: "-1" }, { ratePercent: ["commission.rate_invalid"] }],
      [{ ratePercent: "2.555" }, { ratePercent: ["commission.rate_invalid"] }],
      [{ fixed: "-1" }, { fixed: ["commission.amount_negative"] }],
      [{ fixed: "0.001" }, { fixed: ["commission.amount_invalid"] }],
      [{ currency: "JPY", floor: "1.5" }, { floor: ["commission.amount_invalid"] }],
      [{ currency: "XXX" }, { currency: ["commission.currency_invalid"] }],
      [{ scope: "galaxy" }, { scope: ["commission.scope_invalid"] }],
      [{ scope: "category" }, { categoryId: ["commission.category_required"] }],
      [{ scope: "category", categoryId: "boxes" }, { categoryId: ["commission.category_unknown"] }],
      [{ scope: "category", categoryId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }, { categoryId: ["commission.category_unknown"] }],
      [{ scope: "seller", sellerId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }, { sellerId: ["commission.seller_unknown"] }],
      [{ scope: "seller", sellerId: finance.actor.organizationId }, { sellerId: ["commission.seller_unknown"] }],
    ];
    for (const [fields, fieldErrors] of cases) {
      const error = await domainErrorOf(saveCommissionRule(finance, form(fields)));
      expect([error.code, error.fieldErrors], JSON.stringify(fields)).toEqual(["VALIDATION", fieldErrors]);
    }
    expect(await moneyRowCounts(db)).toEqual(before);
  });

  test("only operators with manage:commission:any manage rules: a moderator, a seller and a buyer are FORBIDDEN", async () => {
    const s = await moneySeller(db);
    const b = await buyer(db);
    for (const deps of [moderator, s.owner, b.admin]) {
      expect((await domainErrorOf(saveCommissionRule(deps, form({ currency: "USD" })))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(listCommissionRules(deps))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(previewCommission(deps, { currency: "EUR", amount: "10" }))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(archiveCommissionRule(deps, { ruleId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }))).code).toBe("FORBIDDEN");
    }
  });

  test("the preview applies the rule settlement would, to the cent", async () => {
    const s = await moneySeller(db);
    const b = await buyer(db);
    await saveCommissionRule(finance, form({ scope: "seller", sellerId: s.id, currency: "EUR", ratePercent: "4", fixed: "0.10", cap: "3" }));
    const preview = await previewCommission(finance, { currency: "eur", amount: "12,34", sellerId: s.id });
    // 4 % of 12.34 = 0.4936 → 0.49, + 0.10 = 0.59.
    expect(preview).toMatchObject({ gross: { amountMinor: "1234" }, commission: { amountMinor: "59" }, net: { amountMinor: "1175" }, rule: { scope: "seller" } });
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 1_234 });
    await settleOrder({ db, publicUrls: TEST_URLS }, { orderId: o.id });
    expect((await db.selectFrom("settlements").select("commission_minor").where("order_id", "=", o.id).executeTakeFirstOrThrow()).commission_minor).toBe("59");
    // Without a seller: the default (2.5 % + 0.30, floor 1, cap 50) → 1.00.
    expect((await previewCommission(finance, { currency: "EUR", amount: "10" })).commission).toEqual({ amountMinor: "100", currency: "EUR" });
    expect(await previewCommission(finance, { currency: "USD", amount: "10" })).toEqual({ rule: null, gross: { amountMinor: "1000", currency: "USD" }, commission: null, net: null });
    expect((await domainErrorOf(previewCommission(finance, { currency: "EUR", amount: "-1", categoryId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }))).fieldErrors).toEqual({
      amount: ["commission.preview_amount_invalid"],
      categoryId: ["commission.category_unknown"],
    });
    expect((await domainErrorOf(previewCommission(finance, { currency: "EURO", amount: "1" }))).fieldErrors).toEqual({ currency: ["commission.currency_invalid"] });
  });

  test("the rule form's sellers: active sellers only, by name, found by part of the name, at most a limit; only for commission managers", async () => {
    const named = async (name: string, kind: "seller" | "buyer", status: "active" | "pending" | "suspended" | "rejected") =>
      (await db.insertInto("organizations").values({ kind, name, status }).returning("id").executeTakeFirstOrThrow()).id;
    const cartons = await named("Zèta Cartons", "seller", "active");
    const boites = await named("Boîtes ZÈTA", "seller", "active");
    for (const status of ["pending", "suspended", "rejected"] as const) await named(`Zèta ${status}`, "seller", status);
    await named("Zèta Buyer", "buyer", "active");
    expect(await listCommissionSellers(finance, { q: " zèta " })).toEqual({ sellers: [{ id: boites, name: "Boîtes ZÈTA" }, { id: cartons, name: "Zèta Cartons" }], truncated: false });
    // Wildcards are text, not patterns.
    expect((await listCommissionSellers(admin, { q: "%" })).sellers).toEqual([]);

    await db
      .insertInto("organizations")
      .values(Array.from({ length: COMMISSION_SELLERS_LIMIT + 1 }, (_, i) => ({ kind: "seller" as const, name: `Bulk ${String(i).padStart(3, "0")}`, status: "active" as const })))
      .execute();
    const bulk = await listCommissionSellers(finance, { q: "bulk" });
    expect(bulk.truncated).toBe(true);
    expect(bulk.sellers).toHaveLength(COMMISSION_SELLERS_LIMIT);
    expect(bulk.sellers[0]!.name).toBe("Bulk 000");
    expect(bulk.sellers.map((x) => x.name)).toEqual([...bulk.sellers.map((x) => x.name)].sort());
    expect(await listCommissionSellers(finance, { q: "Bulk 100" })).toMatchObject({ sellers: [{ name: "Bulk 100" }], truncated: false });
    expect((await listCommissionSellers(finance)).truncated).toBe(true);

    expect((await domainErrorOf(listCommissionSellers(finance, { q: "x".repeat(101) }))).fieldErrors).toEqual({ q: ["commission.seller_search_invalid"] });
    const s = await moneySeller(db);
    const b = await buyer(db);
    for (const who of [moderator, s.owner, b.admin]) expect((await domainErrorOf(listCommissionSellers(who, {}))).code).toBe("FORBIDDEN");
  });
});
