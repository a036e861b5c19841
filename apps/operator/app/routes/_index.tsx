import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listMembers } from "@souk/services";
import { Alert, DashboardPage, pageTitle, useI18n, useRoleLabel } from "@souk/ui";
import { dashboardData, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, deps } = await guards.requireUser(request);
  const actor = session.actor;
  return dashboardData(session, actor ? await orErrorPage(listMembers({ ...deps, actor }, {})) : null);
}

export default function Dashboard() {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <DashboardPage
      data={useLoaderData<typeof loader>()}
      tagline="app.operator.tagline"
      rolesStep={false}
      banner={(organization) => (
        <Alert tone="info" title={t("dashboard.operator.title")}>
          {t("dashboard.operator.intro", { role: roleLabel(organization.role) })}
        </Alert>
      )}
    />
  );
}
