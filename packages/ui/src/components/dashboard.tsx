import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import { Badge } from "./alert";
import { buttonClass } from "./form";
import { useRoleLabel } from "./members";

const STATUS_TONE = { active: "success", pending: "warning", info_requested: "warning", suspended: "danger", rejected: "danger" } as const;

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `orgStatus.${status}`;
  const tone = (STATUS_TONE as Record<string, "success" | "warning" | "danger">)[status] ?? "neutral";
  return <Badge tone={tone}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** The facts about the active organisation that every dashboard starts with. */
export function OrganizationSummary({ organization, memberCount, pendingInvitationCount }: {
  organization: { name: string; status: string; role: string };
  memberCount: number;
  pendingInvitationCount: number;
}) {
  const { t, tPlural } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <dl className="summary-grid">
      <div className="summary-item">
        <dt>{t("dashboard.organization")}</dt>
        <dd className="summary-value">{organization.name}</dd>
      </div>
      <div className="summary-item">
        <dt>{t("dashboard.status")}</dt>
        <dd className="summary-value">
          <StatusBadge status={organization.status} />
        </dd>
      </div>
      <div className="summary-item">
        <dt>{t("dashboard.yourRole")}</dt>
        <dd className="summary-value">{roleLabel(organization.role)}</dd>
      </div>
      <div className="summary-item">
        <dt>{t("dashboard.members")}</dt>
        <dd className="summary-value">
          {tPlural("dashboard.membersCount", memberCount)}
          {pendingInvitationCount > 0 ? <span className="summary-sub">{tPlural("dashboard.pendingInvitations", pendingInvitationCount)}</span> : null}
        </dd>
      </div>
    </dl>
  );
}

export interface NextStep {
  text: ReactNode;
  action?: { to: string; label: string } | null;
}

export function NextSteps({ steps }: { steps: readonly NextStep[] }) {
  return (
    <ol className="next-steps">
      {steps.map((step, index) => (
        <li key={index} className="next-step">
          <span className="next-step-number" aria-hidden="true">
            {index + 1}
          </span>
          <div className="next-step-body">
            <p>{step.text}</p>
            {step.action ? (
              <Link to={step.action.to} className={buttonClass("secondary", "button--compact")}>
                {step.action.label}
              </Link>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
