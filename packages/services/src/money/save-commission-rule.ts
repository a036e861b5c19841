import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { DomainError, parseCommissionRuleForm, validationError, type FieldErrors } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { formIdOf, normaliseDecimal, parseInput } from "../input";
import { assertOperatorCan } from "./shared";

const field = (invalid: string) => z.preprocess((v) => (v === undefined || v === null ? "" : v), z.string({ error: invalid }).max(200, { error: invalid }));

export const saveCommissionRuleSchema = z.object({
  /** The live rule this one replaces (edit); absent: a new rule. */
  ruleId: z.unknown().optional(),
  scope: field("commission.scope_invalid"),
  categoryId: field("commission.category_unknown"),
  sellerId: field("commission.seller_unknown"),
  currency: field("commission.currency_invalid"),
  /** Percent, at most 2 decimals: "2.5" = 250 bps. */
  ratePercent: field("commission.rate_invalid"),
  /** Major units of the currency; blank = 0. */
  fixed: field("commission.amount_invalid"),
  /** Major units; blank = 0. */
  floor: field("commission.amount_invalid"),
  /** Major units; blank = no cap. */
  cap: field("commission.amount_invalid"),
});
export type SaveCommissionRuleInput = z.input<typeof saveCommissionRuleSchema>;

export interface SaveCommissionRuleResult {
  ruleId: string;
  /** The rule archived by this save (an edit), or null. */
  replacedRuleId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Creates a commission rule, or replaces one (`ruleId`): the old row is archived and a new one
 * written, so the rules frozen onto past settlements keep pointing at what applied then. Operators
 * with manage:commission:any (finance, admin). The form is parsed and validated by the domain
 * (parseCommissionRuleForm: fields ratePercent, fixed, floor, cap, scope, categoryId, sellerId,
 * currency; "commission.floor_above_cap" on floor and cap...), then: an unknown category or seller →
 * "commission.category_unknown" / "commission.seller_unknown"; a live rule already covering the
 * same scope, target and currency (other than the one replaced) → `_form` "commission.rule_exists".
 * Nothing is written on any error. An archived `ruleId` → CONFLICT; an unknown one (the form's
 * hidden field) → `ruleId`: commission.rule_unknown.
 */
export async function saveCommissionRule(deps: ActorDeps, input: unknown): Promise<SaveCommissionRuleResult> {
  const { actor } = deps;
  assertOperatorCan(actor, "manage:commission:any");
  const data = parseInput(saveCommissionRuleSchema, input);
  const replacedId = data.ruleId === undefined || data.ruleId === "" ? null : formIdOf(data.ruleId, "ruleId", "commission.rule_unknown");
  const parsed = parseCommissionRuleForm({
    scope: data.scope.trim(),
    categoryId: data.categoryId,
    sellerId: data.sellerId,
    currency: data.currency.trim().toUpperCase(),
    ratePercent: normaliseDecimal(data.ratePercent),
    fixed: normaliseDecimal(data.fixed) || "0",
    floor: normaliseDecimal(data.floor) || "0",
    cap: normaliseDecimal(data.cap),
  });
  if (!parsed.ok) throw validationError(parsed.fieldErrors);
  const rule = parsed.rule;
  const errors: FieldErrors = {};
  const categoryId = rule.categoryId?.toLowerCase() ?? null;
  const sellerId = rule.sellerId?.toLowerCase() ?? null;
  if (categoryId !== null && !UUID.test(categoryId)) errors.categoryId = ["commission.category_unknown"];
  if (sellerId !== null && !UUID.test(sellerId)) errors.sellerId = ["commission.seller_unknown"];
  if (Object.keys(errors).length > 0) throw validationError(errors);

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:commission:any");
    if (categoryId !== null && !(await trx.selectFrom("categories").select("id").where("id", "=", categoryId).executeTakeFirst())) {
      throw validationError({ categoryId: ["commission.category_unknown"] });
    }
    if (sellerId !== null && !(await trx.selectFrom("organizations").select("id").where("id", "=", sellerId).where("kind", "=", "seller").executeTakeFirst())) {
      throw validationError({ sellerId: ["commission.seller_unknown"] });
    }
    // One live rule per scope, target and currency: saves of the same key take turns (the unique
    // index is the backstop).
    await sql`select pg_advisory_xact_lock(hashtext(${`souk:commission:${rule.scope}:${categoryId ?? sellerId ?? ""}:${rule.currency}`}))`.execute(trx);
    let replaced: { id: string; scope: string; category_id: string | null; seller_id: string | null; currency: string } | null = null;
    if (replacedId !== null) {
      const row = await trx.selectFrom("commission_rules").select(["id", "scope", "category_id", "seller_id", "currency", "archived_at"]).where("id", "=", replacedId).forUpdate().executeTakeFirst();
      if (!row) throw validationError({ ruleId: ["commission.rule_unknown"] });
      if (row.archived_at !== null) throw new DomainError("CONFLICT", "commission.rule_archived", { _form: ["commission.rule_archived"] });
      replaced = row;
    }
    const clash = await trx
      .selectFrom("commission_rules")
      .select("id")
      .where("scope", "=", rule.scope)
      .where("currency", "=", rule.currency)
      .where("archived_at", "is", null)
      .where(sql<boolean>`category_id is not distinct from ${categoryId}::uuid`)
      .where(sql<boolean>`seller_id is not distinct from ${sellerId}::uuid`)
      .$if(replacedId !== null, (qb) => qb.where("id", "<>", replacedId!))
      .executeTakeFirst();
    if (clash) throw validationError({ _form: ["commission.rule_exists"] });

    if (replaced) {
      await trx.updateTable("commission_rules").set({ archived_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where("id", "=", replaced.id).execute();
    }
    const created = await trx
      .insertInto("commission_rules")
      .values({
        scope: rule.scope,
        category_id: categoryId,
        seller_id: sellerId,
        currency: rule.currency,
        rate_bps: rule.rateBps,
        fixed_minor: rule.fixedMinor,
        floor_minor: rule.floorMinor,
        cap_minor: rule.capMinor,
        created_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      ...(sellerId ? { organizationId: sellerId } : {}),
      action: "commission_rule.saved",
      targetType: "commission_rule",
      targetId: created.id,
      data: {
        replacedRuleId: replaced?.id ?? null,
        scope: rule.scope,
        categoryId,
        sellerId,
        currency: rule.currency,
        rateBps: rule.rateBps,
        fixedMinor: rule.fixedMinor.toString(),
        floorMinor: rule.floorMinor.toString(),
        capMinor: rule.capMinor === null ? null : rule.capMinor.toString(),
      },
    });
    return { ruleId: created.id, replacedRuleId: replaced?.id ?? null };
  });
}
