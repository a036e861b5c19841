import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { buttonClass, Card, PageHeader, pageTitle, StatusBadge, useI18n } from "@souk/ui";
import { activeOrganization } from "@souk/ui/server";
import { APP } from "../lib/app";
import { SellerStatusAlert } from "../lib/seller-status";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "application.title");

/** Where a seller follows its application: pending review, active, rejected or suspended. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session, actor } = await guards.requireActor(request, "read:organization:org");
  return { organization: { name: activeOrganization(session)?.name ?? "", status: actor.organizationStatus } };
}

export default function Application() {
  const { organization } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { name, status } = organization;
  return (
    <div className="stack">
      <PageHeader title={t("application.title")} actions={<StatusBadge status={status} />} />
      <SellerStatusAlert name={name} status={status} pending={t("application.receivedBody", { organization: name })} />
      {status === "pending" ? (
        <Card title={t("application.whatNext")}>
          <ol className="plain-list">
            <li>{t("application.step1")}</li>
            <li>{t("application.step2")}</li>
            <li>{t("application.step3")}</li>
          </ol>
          <p className="card-subtitle">{t("application.meanwhile")}</p>
          <Link to="/members" className={buttonClass("secondary")}>
            {t("dashboard.step.inviteAction")}
          </Link>
        </Card>
      ) : null}
    </div>
  );
}
