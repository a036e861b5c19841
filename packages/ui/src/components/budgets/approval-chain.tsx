import { useI18n } from "../../i18n/context";
import { Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { Card } from "../layout";
import { useApproverRoleLabel } from "../orders/common";
import type { BudgetMoneyView } from "./common";

/** What the approval pages add for budgets and two-level chains (getApproval's level, levels, reason, chain, budget). */
export interface ApprovalChainView {
  status: string;
  level?: 1 | 2;
  levels?: 1 | 2;
  reason?: "threshold" | "budget";
  chain?: readonly { id: string; level: 1 | 2; approverRole: string; status: string; decidedBy: string | null; decidedAt: string | null }[];
  budget?: { amount: BudgetMoneyView; period: "month" | "quarter"; scope: "organization" | "member" } | null;
}

/** "Level 1 of 2" and "Over budget" badges of an approval row. */
export function ApprovalLevelBadges({ approval }: { approval: ApprovalChainView }) {
  const { t } = useI18n();
  return (
    <>
      {approval.levels === 2 ? <Badge tone="neutral">{t("approvals.level", { level: approval.level ?? 1, levels: 2 })}</Badge> : null}
      {approval.reason === "budget" ? (
        <>
          {" "}
          <Badge tone="warning">{t("approvals.reason.budget")}</Badge>
        </>
      ) : null}
    </>
  );
}

/** The approval's chain (its levels, who decides each, how each went) and the budget it goes beyond. */
export function ApprovalChainCard({ approval }: { approval: ApprovalChainView }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const roleLabel = useApproverRoleLabel();
  const chain = approval.chain ?? [];
  if (approval.levels !== 2 && approval.reason !== "budget") return null;
  return (
    <Card title={t("approval.chain.title")} id="approval-chain">
      {approval.reason === "budget" ? (
        <p>
          {approval.budget
            ? t("approval.budgetReason", { amount: formatMoney(approval.budget.amount), period: t(`budgets.period.word.${approval.budget.period}`) })
            : t("approval.budgetGone")}
        </p>
      ) : null}
      {approval.levels === 2 ? (
        <ol className="plain-list">
          {chain.map((c) => (
            <li key={`${c.level}-${c.id}`}>
              <strong>{t("approval.chain.level", { level: c.level, role: roleLabel(c.approverRole) })}</strong>{" "}
              {c.level === approval.level ? <Badge tone="info">{t("approvals.level", { level: c.level, levels: 2 })}</Badge> : null}{" "}
              <span className="muted">
                {c.status === "pending"
                  ? c.id
                    ? t("approval.chain.waiting")
                    : t("approval.chain.after")
                  : c.status === "withdrawn"
                    ? t("approval.chain.withdrawn", { date: c.decidedAt ? formatDateTime(c.decidedAt) : "—" })
                    : t("approval.chain.decided", {
                        status: t(`approvals.status.${c.status === "approved" ? "approved" : "rejected"}`),
                        name: c.decidedBy ?? "—",
                        date: c.decidedAt ? formatDateTime(c.decidedAt) : "—",
                      })}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
