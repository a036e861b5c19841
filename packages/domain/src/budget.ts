/**
 * Budgets: an amount per currency per calendar month or quarter, for one organisation of a buyer's
 * tree or for one member. Periods are UTC calendar periods (a month starts on the 1st at 00:00 UTC,
 * a quarter on 1 January, 1 April, 1 July or 1 October at 00:00 UTC), so every server and every
 * time zone agrees on which period a purchase falls in.
 *
 * spent = orders placed in the period (not rejected or cancelled); committed = purchases and awards
 * still waiting for approval that were requested in the period. A new purchase of A fits while
 * spent + committed + A ≤ amount; beyond it the budget's owner chose: approval, or refuse.
 */
import { DomainError } from "./errors";

export const BUDGET_PERIODS = ["month", "quarter"] as const;
export type BudgetPeriodKind = (typeof BUDGET_PERIODS)[number];
export const BUDGET_ON_EXCEED = ["approval", "refuse"] as const;
export type BudgetOnExceed = (typeof BUDGET_ON_EXCEED)[number];
/** What a purchase does to a budget: within it, over it (goes to approval), or over it (refused). */
export type BudgetVerdict = "fits" | "approval" | "refuse";

export function isBudgetPeriod(value: unknown): value is BudgetPeriodKind {
  return typeof value === "string" && (BUDGET_PERIODS as readonly string[]).includes(value);
}

export function isBudgetOnExceed(value: unknown): value is BudgetOnExceed {
  return typeof value === "string" && (BUDGET_ON_EXCEED as readonly string[]).includes(value);
}

/** A half-open interval [start, end) of UTC instants. */
export interface BudgetPeriodBounds {
  start: Date;
  end: Date;
}

/** The UTC calendar month or quarter that contains `at`. */
export function budgetPeriodBounds(period: BudgetPeriodKind, at: Date): BudgetPeriodBounds {
  if (!isBudgetPeriod(period)) throw new DomainError("INVARIANT", `Unknown budget period: ${String(period)}`);
  if (Number.isNaN(at.getTime())) throw new DomainError("INVARIANT", "A budget period needs a valid instant");
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const first = period === "month" ? month : month - (month % 3);
  const length = period === "month" ? 1 : 3;
  // Date.UTC rolls month 12 over into January of the next year.
  return { start: new Date(Date.UTC(year, first, 1)), end: new Date(Date.UTC(year, first + length, 1)) };
}

export interface BudgetUsage {
  amountMinor: bigint;
  spentMinor: bigint;
  committedMinor: bigint;
}

/** What is left of the budget (negative when already over it). */
export function budgetRemaining(usage: BudgetUsage): bigint {
  return usage.amountMinor - usage.spentMinor - usage.committedMinor;
}

/** What a purchase of `purchaseMinor` does to a budget: over it means spent + committed + purchase > amount. */
export function budgetVerdict(usage: BudgetUsage & { onExceed: BudgetOnExceed }, purchaseMinor: bigint): BudgetVerdict {
  if (usage.amountMinor <= 0n) throw new DomainError("INVARIANT", "A budget's amount is positive");
  if (usage.spentMinor < 0n || usage.committedMinor < 0n || purchaseMinor < 0n) throw new DomainError("INVARIANT", "Budget figures are not negative");
  if (usage.spentMinor + usage.committedMinor + purchaseMinor <= usage.amountMinor) return "fits";
  return usage.onExceed;
}

/** The verdict of several budgets together: any refusal refuses, else any excess needs approval. */
export function combineBudgetVerdicts(verdicts: readonly BudgetVerdict[]): BudgetVerdict {
  if (verdicts.includes("refuse")) return "refuse";
  if (verdicts.includes("approval")) return "approval";
  return "fits";
}
