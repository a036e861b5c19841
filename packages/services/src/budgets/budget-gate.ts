import type { Db } from "@souk/db";
import { budgetVerdict, DomainError } from "@souk/domain";
import { dbNow } from "../clock";
import { applicableBudgets, budgetFigures, type BudgetRow, type ExcludedSubject } from "./shared";

export interface BudgetCheck {
  /** The first budget (in id order) in approval mode that the purchase exceeds, or null. */
  exceeded: BudgetRow | null;
  /** What was left of that budget before this purchase (negative when already over). */
  remainingMinor: bigint | null;
}

/**
 * The budget part of the approval gate, in the purchase's or award's transaction: the budgets that
 * apply (the buying organisation's and the requester's, in the purchase's currency) are locked FOR
 * UPDATE first, in id order, and only then are their spent and committed figures read. A second
 * purchase against the same budget therefore waits until the first commits or rolls back, and then
 * (READ COMMITTED: each statement sees what was committed before it started) counts it: two
 * purchasers submitting at the same moment cannot both fit in what is left.
 *
 * A purchase over a budget in refuse mode is refused: CONFLICT `budget.exceeded` (the caller's
 * transaction rolls back, nothing is written); over one in approval mode it must go to approval.
 */
export async function checkBudgets(
  trx: Db,
  input: { rootId: string; organizationId: string; userId: string; currency: string; amountMinor: bigint; subject: ExcludedSubject },
): Promise<BudgetCheck> {
  const budgets = await applicableBudgets(trx, { rootId: input.rootId, organizationId: input.organizationId, userId: input.userId, currency: input.currency, lock: true });
  if (budgets.length === 0) return { exceeded: null, remainingMinor: null };
  const now = await dbNow(trx);
  let exceeded: BudgetRow | null = null;
  let remainingMinor: bigint | null = null;
  const refused: BudgetRow[] = [];
  for (const budget of budgets) {
    const figures = await budgetFigures(trx, budget, now, input.subject);
    const verdict = budgetVerdict({ amountMinor: BigInt(budget.amount_minor), spentMinor: figures.spentMinor, committedMinor: figures.committedMinor, onExceed: budget.on_exceed }, input.amountMinor);
    if (verdict === "refuse") refused.push(budget);
    else if (verdict === "approval" && !exceeded) {
      exceeded = budget;
      remainingMinor = BigInt(budget.amount_minor) - figures.spentMinor - figures.committedMinor;
    }
  }
  if (refused.length > 0) {
    const fields = Object.fromEntries(refused.map((b) => [`budgets.${b.id}`, ["budget.exceeded"]]));
    throw new DomainError("CONFLICT", "budget.exceeded", { _form: ["budget.exceeded"], ...fields });
  }
  return { exceeded, remainingMinor };
}
