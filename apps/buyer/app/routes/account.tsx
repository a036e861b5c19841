import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { changePassword } from "@souk/services";
import { Card, ChangePasswordForm, PageHeader, StatusBadge, isFormFailure, useI18n, useRoleLabel } from "@souk/ui";
import { formFailure } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { flashCookie, formValues, sessionCookie } from "../lib/request.server";
import { requireUser } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireUser(request);
  return { user: session.user, organizations: session.organizations };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireUser(request);
  const form = await request.formData();
  try {
    // Every other session ends; this browser continues with the fresh session returned.
    const { token, expiresAt } = await changePassword(deps, Object.fromEntries(form));
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(token, expiresAt));
    headers.append("Set-Cookie", flashCookie("flash.passwordChanged"));
    return redirect("/account", { headers });
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function Account() {
  const { user, organizations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <div className="stack">
      <PageHeader title={t("account.title")} />
      <div className="grid-2">
        <Card title={t("account.profile")}>
          <dl className="details">
            <dt>{t("account.name")}</dt>
            <dd>{user.name}</dd>
            <dt>{t("account.email")}</dt>
            <dd>{user.email}</dd>
          </dl>
          <h3 className="card-subtitle">{t("account.organizations")}</h3>
          <ul className="plain-list">
            {organizations.map((o) => (
              <li key={o.id}>
                <strong>{o.name}</strong> · {roleLabel(o.role)} <StatusBadge status={o.status} />
              </li>
            ))}
          </ul>
        </Card>
        <Card title={t("account.changePassword")}>
          <p className="muted">{t("account.changePasswordIntro")}</p>
          <ChangePasswordForm email={user.email} failure={isFormFailure(result) ? result : null} />
        </Card>
      </div>
    </div>
  );
}
