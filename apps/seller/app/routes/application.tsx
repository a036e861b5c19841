import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, buttonClass, Card, PageHeader, StatusBadge, useI18n } from "@souk/ui";
import { pageTitle } from "../lib/meta";
import { requireActor } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "application.title");

/** Where a seller follows its application: pending review, active, rejected or suspended. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session, actor } = await requireActor(request, "read:organization:org");
  const organization = session.organizations.find((o) => o.id === actor.organizationId);
  return { organization: { name: organization?.name ?? "", status: actor.organizationStatus } };
}

export default function Application() {
  const { organization } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { name, status } = organization;
  return (
    <div className="stack">
      <PageHeader title={t("application.title")} actions={<StatusBadge status={status} />} />
      {status === "pending" ? (
        <Alert tone="info" title={t("dashboard.seller.pendingTitle")}>
          {t("application.receivedBody", { organization: name })}
        </Alert>
      ) : status === "active" ? (
        <Alert tone="success" title={t("dashboard.seller.activeTitle")}>
          {t("dashboard.seller.active")}
        </Alert>
      ) : status === "rejected" ? (
        <Alert tone="error" title={t("dashboard.seller.rejectedTitle")}>
          {t("dashboard.seller.rejected", { organization: name })}
        </Alert>
      ) : (
        <Alert tone="warning" title={t("dashboard.suspendedTitle")}>
          {t("dashboard.suspended", { organization: name })}
        </Alert>
      )}
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
