import { Link } from "@remix-run/react";
import { isCurrency, money, toDecimalString } from "@souk/domain";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { Card } from "../layout";

/*
 * Pieces shared by the money pages of the three apps. Client-safe: the shapes below are those of
 * @souk/services' money use cases (services/src/money), as the loaders pass them (JSON: amounts
 * are minor units as decimal strings, dates ISO strings).
 */

/** An amount as services return it: minor units as a decimal string, and the currency. */
export interface MoneyAmountView {
  amountMinor: string;
  currency: string;
}

export interface PartyRefView {
  id: string;
  name: string;
}

export const PAYOUT_STATUS_VALUES = ["pending", "held", "paid", "failed"] as const;
export const ACCOUNT_KIND_VALUES = ["buyer_receivable", "seller_payable", "commission_revenue", "payouts_in_transit", "cash"] as const;
export const JOURNAL_KIND_VALUES = ["settlement", "refund", "payout", "payout_paid", "payout_failed"] as const;

/** "€1,234.50" / "1 234,50 €" (the shared money formatter of the catalogue and order pages). */
export const useMoneyFormat = useCatalogueMoney;

/** An amount in major units as a form field takes it back ("12.50"; "1234" for JPY). */
export function decimalInput(amount: MoneyAmountView | null): string {
  if (!amount) return "";
  return isCurrency(amount.currency) ? toDecimalString(money(BigInt(amount.amountMinor), amount.currency)) : amount.amountMinor;
}

/** Basis points as the percentage typed in the rule form ("2.5" for 250). */
export function percentInput(rateBps: number): string {
  const whole = Math.trunc(rateBps / 100);
  const fraction = String(rateBps % 100).padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** Basis points as a percentage in the page's language, without the sign ("2.5" / "2,5"). */
export function useRate(): (rateBps: number) => string {
  const { locale } = useI18n();
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  // bps / 100 has at most 2 decimals, which a double holds exactly enough for display.
  return (rateBps) => format.format(rateBps / 100);
}

/** The figures of a commission rule, whether a live rule (amounts as money) or the copy frozen onto a settlement (minor units). */
export interface RuleFigures {
  rateBps: number;
  fixed: MoneyAmountView;
  floor: MoneyAmountView;
  cap: MoneyAmountView | null;
}

/** The rule frozen onto a settlement (settlements.rule, CommissionRuleSnapshot). */
export interface CommissionRuleSnapshotView {
  id: string;
  scope: string;
  categoryId: string | null;
  sellerId: string | null;
  currency: string;
  rateBps: number;
  fixedMinor: string;
  floorMinor: string;
  capMinor: string | null;
}

export function snapshotFigures(rule: CommissionRuleSnapshotView): RuleFigures {
  const of = (amountMinor: string) => ({ amountMinor, currency: rule.currency });
  return { rateBps: rule.rateBps, fixed: of(rule.fixedMinor), floor: of(rule.floorMinor), cap: rule.capMinor === null ? null : of(rule.capMinor) };
}

/** "2.5 % + €0.30, at least €1.00, at most €50.00": a rule in one line. */
export function useRuleSummary(): (rule: RuleFigures) => string {
  const { t } = useI18n();
  const formatMoney = useMoneyFormat();
  const rate = useRate();
  return (rule) => {
    const parts = [BigInt(rule.fixed.amountMinor) === 0n ? t("money.rule.rate", { rate: rate(rule.rateBps) }) : t("money.rule.summary", { rate: rate(rule.rateBps), fixed: formatMoney(rule.fixed) })];
    if (BigInt(rule.floor.amountMinor) > 0n) parts.push(t("money.rule.floor", { amount: formatMoney(rule.floor) }));
    if (rule.cap) parts.push(t("money.rule.cap", { amount: formatMoney(rule.cap) }));
    return parts.join(", ");
  };
}

/** The commission rule frozen onto a settlement, figure by figure (an order's money page, a settlement journal's page). */
export function FrozenRuleCard({ rule }: { rule: CommissionRuleSnapshotView }) {
  const { t } = useI18n();
  const formatMoney = useMoneyFormat();
  const summary = useRuleSummary();
  const scopeKind = useScopeKindLabel();
  const rate = useRate();
  const figures = snapshotFigures(rule);
  return (
    <Card title={t("journal.rule.title")}>
      <p className="field-hint">{t("journal.rule.help")}</p>
      <dl className="details">
        <dt>{t("orderMoney.rule.scope")}</dt>
        <dd>{scopeKind(rule.scope)}</dd>
        <dt>{t("commissionRules.table.currency")}</dt>
        <dd className="mono">{rule.currency}</dd>
        <dt>{t("commissionRules.table.rate")}</dt>
        <dd>{t("money.rule.rate", { rate: rate(rule.rateBps) })}</dd>
        <dt>{t("commissionRules.table.fixed")}</dt>
        <dd>{formatMoney(figures.fixed)}</dd>
        <dt>{t("commissionRules.table.floor")}</dt>
        <dd>{formatMoney(figures.floor)}</dd>
        <dt>{t("commissionRules.table.cap")}</dt>
        <dd>{figures.cap ? formatMoney(figures.cap) : t("money.rule.noCap")}</dd>
        <dt>{t("orderMoney.rule.summary")}</dt>
        <dd>{summary(figures)}</dd>
      </dl>
    </Card>
  );
}

/** "Default rule" / "Category rule" / "Seller rule". */
export function useScopeKindLabel(): (scope: string) => string {
  const { t } = useI18n();
  return (scope) => {
    const key = `money.scopeKind.${scope}`;
    return isMessageKey(key) ? t(key) : scope;
  };
}

const PAYOUT_TONE: Record<string, "neutral" | "success" | "warning" | "danger" | "info"> = { pending: "info", held: "warning", paid: "success", failed: "danger" };

export function PayoutStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `money.payoutStatus.${status}`;
  return <Badge tone={PAYOUT_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

export function useAccountKindLabel(): (kind: string) => string {
  const { t } = useI18n();
  return (kind) => {
    const key = `money.accountKind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
  };
}

export function useJournalKindLabel(): (kind: string) => string {
  const { t } = useI18n();
  return (kind) => {
    const key = `money.journalKind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
  };
}

/** A journal's number as pages show it: #42. */
export function journalReference(number: string): string {
  return `#${number}`;
}

/** An amount cell: right-aligned, never wrapped, a negative amount marked for the eye. */
export function AmountCell({ amount, strong = false }: { amount: MoneyAmountView | null; strong?: boolean }) {
  const formatMoney = useMoneyFormat();
  if (!amount) return <td className="cell-nowrap cell-amount muted">—</td>;
  const text = formatMoney(amount);
  return <td className="cell-nowrap cell-amount">{strong ? <strong>{text}</strong> : text}</td>;
}

/** The tabs of a group of pages (money: balance, settled orders, payouts; ledger: balance, accounts, journals). Plain links. */
export function SectionTabs({ label, tabs, current }: { label: string; tabs: readonly { to: string; label: ReactNode }[]; current: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} className={`tab${tab.to === current ? " tab--active" : ""}`} aria-current={tab.to === current ? "page" : undefined}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
