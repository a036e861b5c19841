import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listMembers } from "@souk/services";
import { Alert, DashboardPage, pageTitle, useI18n } from "@souk/ui";
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
  return (
    <DashboardPage
      data={useLoaderData<typeof loader>()}
      tagline="app.buyer.tagline"
      banner={(organization) =>
        organization.status === "active" ? (
          <Alert tone="success" title={t("dashboard.buyer.readyTitle")}>
            {t("dashboard.buyer.ready")}
          </Alert>
        ) : (
          <Alert tone="warning" title={t("dashboard.suspendedTitle")}>
            {t("dashboard.suspended", { organization: organization.name })}
          </Alert>
        )
      }
    />
  );
}
