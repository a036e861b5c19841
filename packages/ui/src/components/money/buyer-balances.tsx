import { useI18n } from "../../i18n/context";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { AmountCell, type MoneyAmountView, type PartyRefView } from "./common";

/** What the buyer organisation owes, per seller and currency (getBuyerBalances), with a total per currency. */

export interface BuyerBalanceRowView {
  seller: PartyRefView;
  currency: string;
  owed: MoneyAmountView;
}

/** The sum per currency (amounts of different currencies never add up). */
function totalsByCurrency(rows: readonly BuyerBalanceRowView[]): MoneyAmountView[] {
  const sums = new Map<string, bigint>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0n) + BigInt(r.owed.amountMinor));
  return [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, sum]) => ({ currency, amountMinor: sum.toString() }));
}

export function BuyerBalancesPage({ balances }: { balances: readonly BuyerBalanceRowView[] }) {
  const { t } = useI18n();
  const owing = balances.filter((b) => BigInt(b.owed.amountMinor) !== 0n);
  const totals = totalsByCurrency(owing);
  return (
    <div className="stack">
      <PageHeader title={t("buyerBalances.title")} description={t("buyerBalances.intro")} />
      <Card>
        {owing.length === 0 ? (
          <p className="empty-state">{t("buyerBalances.empty")}</p>
        ) : (
          <DataTable caption={t("buyerBalances.caption")} columns={[t("buyerBalances.seller"), t("buyerBalances.currency"), t("buyerBalances.amount")]}>
            {owing.map((b) => (
              <tr key={`${b.seller.id}:${b.currency}`}>
                <th scope="row" className="cell-name">
                  {b.seller.name}
                </th>
                <td className="mono">{b.currency}</td>
                <AmountCell amount={b.owed} />
              </tr>
            ))}
            {totals.map((total) => (
              <tr key={total.currency} className="row--total">
                <th scope="row" colSpan={2}>
                  {t("buyerBalances.total", { currency: total.currency })}
                </th>
                <AmountCell amount={total} strong />
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
