import type { ReactNode } from "react";
import { Alert } from "../components/alert";
import { NextSteps, OrganizationSummary, type NextStep } from "../components/dashboard";
import { Card, PageHeader } from "../components/layout";
import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/i18n";

export interface DashboardOrganization {
  name: string;
  status: string;
  role: string;
}

/** What a dashboard loader returns (see dashboardData in @souk/ui/server). */
export interface DashboardData<O extends DashboardOrganization = DashboardOrganization> {
  user: { name: string };
  organization: O | null;
  memberCount: number;
  pendingInvitationCount: number;
  canManageMembers: boolean;
}

/**
 * The frame of every app's home page: welcome, the app's own banner about the organisation, the
 * organisation's facts and the next steps. Without an organisation of this app's kind, only says so.
 */
export function DashboardPage<O extends DashboardOrganization>({ data, tagline, banner, rolesStep = true }: {
  data: DashboardData<O>;
  tagline: MessageKey;
  /** What this app says about the organisation's state (active, pending review...). */
  banner: (organization: O) => ReactNode;
  /** Whether to suggest reviewing roles (where there are several kinds of work to split). */
  rolesStep?: boolean;
}) {
  const { user, organization, memberCount, pendingInvitationCount, canManageMembers } = data;
  const { t } = useI18n();
  if (!organization) {
    return (
      <>
        <PageHeader title={t("dashboard.welcome", { name: user.name })} />
        <Alert tone="warning" title={t("dashboard.noOrganization.title")}>
          {t("dashboard.noOrganization.body")}
        </Alert>
      </>
    );
  }
  const security: NextStep = { text: t("dashboard.step.security"), action: { to: "/account", label: t("dashboard.step.securityAction") } };
  const steps: NextStep[] = canManageMembers
    ? [
        { text: t("dashboard.step.invite"), action: { to: "/members", label: t("dashboard.step.inviteAction") } },
        ...(rolesStep ? [{ text: t("dashboard.step.roles") }] : []),
        security,
      ]
    : [{ text: t("dashboard.step.askAdmin"), action: { to: "/members", label: t("nav.members") } }, security];
  return (
    <div className="stack">
      <PageHeader title={t("dashboard.welcome", { name: user.name })} description={t(tagline)} />
      {banner(organization)}
      <OrganizationSummary organization={organization} memberCount={memberCount} pendingInvitationCount={pendingInvitationCount} />
      <Card title={t("dashboard.nextSteps")}>
        <NextSteps steps={steps} />
      </Card>
    </div>
  );
}
