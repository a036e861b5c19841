import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "@souk/domain";
import { listMembers } from "@souk/services";
import { Alert, Card, NextSteps, OrganizationSummary, PageHeader, useI18n, type NextStep } from "@souk/ui";
import { orErrorPage } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { requireUser } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, deps } = await requireUser(request);
  const actor = session.actor;
  if (!actor) return { user: session.user, organization: null, memberCount: 0, pendingInvitationCount: 0, canManageMembers: false };
  const organization = session.organizations.find((o) => o.id === actor.organizationId) ?? null;
  const { members, invitations } = await orErrorPage(listMembers({ ...deps, actor }, {}));
  return {
    user: session.user,
    organization,
    memberCount: members.length,
    pendingInvitationCount: invitations.length,
    canManageMembers: can(actor.organizationKind, actor.role, "manage:members:org"),
  };
}

export default function Dashboard() {
  const { user, organization, memberCount, pendingInvitationCount, canManageMembers } = useLoaderData<typeof loader>();
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
  const steps: NextStep[] = canManageMembers
    ? [
        { text: t("dashboard.step.invite"), action: { to: "/members", label: t("dashboard.step.inviteAction") } },
        { text: t("dashboard.step.roles") },
        { text: t("dashboard.step.security"), action: { to: "/account", label: t("dashboard.step.securityAction") } },
      ]
    : [
        { text: t("dashboard.step.askAdmin"), action: { to: "/members", label: t("nav.members") } },
        { text: t("dashboard.step.security"), action: { to: "/account", label: t("dashboard.step.securityAction") } },
      ];
  return (
    <div className="stack">
      <PageHeader title={t("dashboard.welcome", { name: user.name })} description={t("app.buyer.tagline")} />
      {organization.status === "active" ? (
        <Alert tone="success" title={t("dashboard.buyer.readyTitle")}>
          {t("dashboard.buyer.ready")}
        </Alert>
      ) : (
        <Alert tone="warning" title={t("dashboard.suspendedTitle")}>
          {t("dashboard.suspended", { organization: organization.name })}
        </Alert>
      )}
      <OrganizationSummary organization={organization} memberCount={memberCount} pendingInvitationCount={pendingInvitationCount} />
      <Card title={t("dashboard.nextSteps")}>
        <NextSteps steps={steps} />
      </Card>
    </div>
  );
}
