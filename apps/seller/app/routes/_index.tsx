import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listMembers } from "@souk/services";
import { DashboardPage, pageTitle, useI18n } from "@souk/ui";
import { dashboardData, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { SellerStatusAlert } from "../lib/seller-status";
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
      tagline="app.seller.tagline"
      banner={({ name, status }) => (
        <SellerStatusAlert
          name={name}
          status={status}
          pending={
            <>
              <p>{t("dashboard.seller.pending", { organization: name })}</p>
              <Link to="/application">{t("application.title")}</Link>
            </>
          }
        />
      )}
    />
  );
}
