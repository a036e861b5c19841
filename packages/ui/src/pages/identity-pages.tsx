import { useSearchParams } from "@remix-run/react";
import { AcceptInvitationForm, ChangePasswordForm, SignInForm, SignUpForm, type InvitationSummary } from "../components/auth-forms";
import { StatusBadge } from "../components/dashboard";
import { Card, PageHeader } from "../components/layout";
import { useRoleLabel } from "../components/members";
import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/i18n";
import { isFormFailure, type FormFailure } from "../types";

/** An action's data as the page receives it: a failure to show, or whatever the action returned on success. */
type ActionResult = FormFailure | object | null | undefined;

function failureOf(result: ActionResult): FormFailure | null {
  return isFormFailure(result) ? result : null;
}

export function SignInPage({ result, signUp }: {
  result: ActionResult;
  /** The link for newcomers; none where accounts only come by invitation (operators). */
  signUp: { to: string; label: MessageKey } | null;
}) {
  const [params] = useSearchParams();
  const { t } = useI18n();
  return (
    <SignInForm
      failure={failureOf(result)}
      redirectTo={params.get("redirectTo")}
      signUp={signUp ? { to: signUp.to, label: t(signUp.label) } : null}
      operatorNote={!signUp}
    />
  );
}

export function SignUpPage({ kind, result }: { kind: "buyer" | "seller"; result: ActionResult }) {
  return <SignUpForm kind={kind} failure={failureOf(result)} />;
}

export function AcceptInvitationPage({ invitation, signedInEmail, result }: { invitation: InvitationSummary; signedInEmail: string | null; result: ActionResult }) {
  const roleLabel = useRoleLabel();
  return <AcceptInvitationForm invitation={invitation} roleLabel={roleLabel(invitation.role)} signedInEmail={signedInEmail} failure={failureOf(result)} />;
}

export function AccountPage({ user, organizations, result }: {
  user: { name: string; email: string };
  organizations: readonly { id: string; name: string; role: string; status: string }[];
  result: ActionResult;
}) {
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
          <ChangePasswordForm email={user.email} failure={failureOf(result)} />
        </Card>
      </div>
    </div>
  );
}
