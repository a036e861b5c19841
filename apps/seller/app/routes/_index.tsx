import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSellerApplication, listMembers } from "@souk/services";
import { DashboardPage, pageTitle, SellerDashboardBanner } from "@souk/ui";
import { dashboardData, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, deps } = await guards.requireUser(request);
  const actor = session.actor;
  if (!actor) return { ...dashboardData(session, null), seller: null };
  const [members, application] = await orErrorPage(Promise.all([listMembers({ ...deps, actor }, {}), getSellerApplication({ ...deps, actor }, {})]));
  // Where the seller stands and its next step: what the banner needs of the application, not the whole of it.
  const { status, organizationName, canEdit, openQuestion, statusReason } = application;
  return { ...dashboardData(session, members), seller: { status, organizationName, canEdit, openQuestion, statusReason, application: { submittedAt: application.application.submittedAt } } };
}

export default function Dashboard() {
  const { seller, ...data } = useLoaderData<typeof loader>();
  return <DashboardPage data={data} tagline="app.seller.tagline" banner={() => (seller ? <SellerDashboardBanner data={seller} /> : null)} />;
}
