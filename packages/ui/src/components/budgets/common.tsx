import type { BudgetVerdict } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { Alert, Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { Card } from "../layout";
import { DataTable } from "../table";

/** A budget with its current period's figures (BudgetStatusView of @souk/services). */
export interface BudgetPageView {
  id: string;
  scope: { kind: "organization" | "member"; id: string; name: string };
  period: "month" | "quarter";
  onExceed: "approval" | "refuse";
  amount: BudgetMoneyView;
  spent: BudgetMoneyView;
  committed: BudgetMoneyView;
  remaining: BudgetMoneyView;
  periodStart: string;
  /** Exclusive end of the period. */
  periodEnd: string;
  verdict: BudgetVerdict | null;
}

export interface BudgetMoneyView {
  amountMinor: string;
  currency: string;
}

const VERDICT_TONE = { fits: "success", approval: "warning", refuse: "danger" } as const;

/**
 * The budgets that apply to one prospective purchase (getBudgetStatus of @souk/services called with
 * its currency and amount): each budget's verdict and the overall one, as the gate computes them.
 */
export interface BudgetStatusPageView {
  budgets: readonly BudgetPageView[];
  verdict: BudgetVerdict | null;
}

export function BudgetVerdictBadge({ verdict }: { verdict: BudgetVerdict }) {
  const { t } = useI18n();
  return <Badge tone={VERDICT_TONE[verdict]}>{t(`budgetStatus.verdict.${verdict}`)}</Badge>;
}

/** "Month (UTC)" and the period's first and last days. */
export function BudgetPeriodCell({ budget }: { budget: BudgetPageView }) {
  const { t, formatDate } = useI18n();
  const lastDay = new Date(new Date(budget.periodEnd).getTime() - 1);
  return (
    <>
      {t(`budgets.period.${budget.period}`)}
      <span className="cell-sub">{t("budgets.periodRange", { start: formatDate(budget.periodStart), end: formatDate(lastDay) })}</span>
    </>
  );
}

/** The figures of each budget: amount, spent, committed, remaining; `withVerdict`: what the purchase the figures were asked for would do to each (its `verdict`). */
export function BudgetFiguresTable({ budgets, withVerdict = false, caption }: { budgets: readonly BudgetPageView[]; withVerdict?: boolean; caption: string }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const columns = [t("budgets.table.scope"), t("budgets.table.period"), t("budgets.table.amount"), t("budgets.table.spent"), t("budgets.table.committed"), t("budgets.table.remaining"), t("budgets.table.onExceed")];
  return (
    <DataTable caption={caption} columns={withVerdict ? [...columns, t("budgetStatus.purchase")] : columns}>
      {budgets.map((b) => {
        const verdict = b.verdict;
        return (
          <tr key={b.id}>
            <th scope="row" className="cell-name">
              {b.scope.name}
              <span className="cell-sub">{t(`budgets.scope.${b.scope.kind}`)}</span>
            </th>
            <td>
              <BudgetPeriodCell budget={b} />
            </td>
            <td className="cell-nowrap cell-amount">{formatMoney(b.amount)}</td>
            <td className="cell-nowrap cell-amount">{formatMoney(b.spent)}</td>
            <td className="cell-nowrap cell-amount">{formatMoney(b.committed)}</td>
            <td className="cell-nowrap cell-amount">{formatMoney(b.remaining)}</td>
            <td>{t(`budgets.onExceed.${b.onExceed}`)}</td>
            {withVerdict ? <td>{verdict ? <BudgetVerdictBadge verdict={verdict} /> : "—"}</td> : null}
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * Before a checkout: the budgets that apply in the purchase's currency with their figures and what
 * this purchase would do to each, and overall (fits / needs approval / refused). Nothing when no
 * budget applies.
 */
export function BudgetStatusPanel({ status }: { status: BudgetStatusPageView | undefined }) {
  const { t } = useI18n();
  const overall = status?.verdict;
  if (!status || status.budgets.length === 0 || !overall) return null;
  return (
    <section className="stack" aria-label={t("budgetStatus.title")}>
      <p className="muted">{t("budgetStatus.intro")}</p>
      <BudgetFiguresTable budgets={status.budgets} withVerdict caption={t("budgetStatus.caption")} />
      <Alert tone={overall === "fits" ? "success" : overall === "approval" ? "warning" : "error"}>{t(`budgetStatus.summary.${overall}`)}</Alert>
    </section>
  );
}

/**
 * On the award form: the budgets that apply in the RFQ's currency (`budgets`, getBudgetStatus in
 * that currency), and what awarding each whole offer would do (`verdicts` by offer id, getBudgetStatus
 * with the offer's total). A split award's total is only known once typed: it is checked on submit.
 */
export function AwardBudgetPanel({
  budgets,
  verdicts,
  offers,
}: {
  budgets: readonly BudgetPageView[];
  verdicts: Readonly<Record<string, BudgetVerdict | null>>;
  offers: readonly { id: string; seller: { name: string }; total: BudgetMoneyView }[];
}) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const currency = offers[0]?.total.currency;
  const applicable = budgets.filter((b) => b.amount.currency === currency);
  if (applicable.length === 0) return null;
  return (
    <Card title={t("budgetStatus.title")} id="award-budgets">
      <p className="muted">{t("budgetStatus.awardIntro")}</p>
      <BudgetFiguresTable budgets={applicable} caption={t("budgetStatus.caption")} />
      <DataTable caption={t("budgetStatus.offersCaption")} columns={[t("budgetStatus.offersCaption"), t("budgetStatus.purchase")]}>
        {offers.map((o) => {
          const overall = verdicts[o.id] ?? null;
          return (
            <tr key={o.id}>
              <th scope="row">{t("budgetStatus.offer", { seller: o.seller.name, total: formatMoney(o.total) })}</th>
              <td>{overall ? <BudgetVerdictBadge verdict={overall} /> : "—"}</td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
