import { Form, Link, useLocation } from "@remix-run/react";
import { useI18n } from "../i18n/context";
import type { FormFailure } from "../types";
import { Alert } from "./alert";
import { errorsOf, firstInvalid, SubmitButton, TextField, useFailureKey, valueOf } from "./form";
import { AuthLayout } from "./layout";

function FormErrorAlert({ failure }: { failure: FormFailure | null | undefined }) {
  const { t } = useI18n();
  if (!failure) return null;
  const message = failure.formError ?? (Object.keys(failure.fieldErrors).length > 0 ? t("form.errorSummary") : null);
  return message ? <Alert tone="error">{message}</Alert> : null;
}

export { FormErrorAlert };

export function SignInForm({ failure, redirectTo, signUp, operatorNote }: {
  failure?: FormFailure | null;
  redirectTo?: string | null;
  /** Link to this app's sign-up page (none in the operator app). */
  signUp?: { to: string; label: string } | null;
  operatorNote?: boolean;
}) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, ["email", "password"]) ?? (failure?.formError ? "email" : null);
  return (
    <AuthLayout
      title={t("signIn.title")}
      intro={t("signIn.intro")}
      footer={
        signUp ? (
          <>
            {t("signIn.noAccount")} <Link to={signUp.to}>{signUp.label}</Link>
          </>
        ) : operatorNote ? (
          t("signIn.operatorNote")
        ) : null
      }
    >
      <FormErrorAlert failure={failure} />
      <Form key={formKey} method="post" className="form" noValidate>
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <TextField name="email" type="email" label={t("signIn.email")} autoComplete="username" required autoFocus={focus === "email"} defaultValue={valueOf(failure, "email")} errors={errorsOf(failure, "email")} />
        <TextField name="password" type="password" label={t("signIn.password")} autoComplete="current-password" required autoFocus={focus === "password"} errors={errorsOf(failure, "password")} />
        <SubmitButton className="button--block">{t("signIn.submit")}</SubmitButton>
      </Form>
    </AuthLayout>
  );
}

export function SignUpForm({ kind, failure }: { kind: "buyer" | "seller"; failure?: FormFailure | null }) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, ["organizationName", "name", "email", "password"]);
  return (
    <AuthLayout
      title={t(`signUp.${kind}.title`)}
      intro={t(`signUp.${kind}.intro`)}
      footer={
        <>
          {t("signUp.haveAccount")} <Link to="/sign-in">{t("shell.signIn")}</Link>
        </>
      }
    >
      <FormErrorAlert failure={failure} />
      <Form key={formKey} method="post" className="form" noValidate>
        <TextField name="organizationName" label={t("signUp.organizationName")} autoComplete="organization" required autoFocus={focus === "organizationName"} defaultValue={valueOf(failure, "organizationName")} errors={errorsOf(failure, "organizationName")} />
        <TextField name="name" label={t("signUp.name")} autoComplete="name" required autoFocus={focus === "name"} defaultValue={valueOf(failure, "name")} errors={errorsOf(failure, "name")} />
        <TextField name="email" type="email" label={t("signUp.email")} autoComplete="email" required autoFocus={focus === "email"} defaultValue={valueOf(failure, "email")} errors={errorsOf(failure, "email")} />
        <TextField name="password" type="password" label={t("signUp.password")} autoComplete="new-password" required autoFocus={focus === "password"} hint={t("signUp.passwordHint")} errors={errorsOf(failure, "password")} />
        <SubmitButton className="button--block">{t(`signUp.${kind}.submit`)}</SubmitButton>
      </Form>
    </AuthLayout>
  );
}

export interface InvitationSummary {
  organizationName: string;
  role: string;
  email: string;
  hasAccount: boolean;
  expiresAt: Date | string;
}

/**
 * Accepting an invitation: a new person chooses a name and a password; an existing account gives
 * its password, or just confirms when it is the signed-in user.
 */
export function AcceptInvitationForm({ invitation, roleLabel, signedInEmail, failure }: {
  invitation: InvitationSummary;
  roleLabel: string;
  signedInEmail: string | null;
  failure?: FormFailure | null;
}) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, ["name", "password"]);
  const signedInAsInvitee = signedInEmail !== null && signedInEmail.toLowerCase() === invitation.email.toLowerCase();
  const signedInAsOther = signedInEmail !== null && !signedInAsInvitee;
  return (
    <AuthLayout title={t("invitation.title", { organization: invitation.organizationName })} intro={t("invitation.intro", { organization: invitation.organizationName, role: roleLabel })}>
      <FormErrorAlert failure={failure} />
      <p className="muted">{t("invitation.for", { email: invitation.email })}</p>
      {signedInAsOther ? (
        <>
          <Alert tone="warning">{t("invitation.otherAccount", { email: signedInEmail, invited: invitation.email })}</Alert>
          <Form method="post" action="/sign-out" className="form">
            {/* Back to this invitation once signed out, to accept it as the invited person. */}
            <input type="hidden" name="redirectTo" value={pathname} />
            <SubmitButton variant="secondary">{t("shell.signOut")}</SubmitButton>
          </Form>
        </>
      ) : (
        <Form key={formKey} method="post" className="form" noValidate>
          {signedInAsInvitee ? (
            <p>{t("invitation.signedIn", { email: signedInEmail })}</p>
          ) : invitation.hasAccount ? (
            <>
              <p>{t("invitation.existingAccount")}</p>
              <TextField name="password" type="password" label={t("invitation.currentPassword")} autoComplete="current-password" required autoFocus={focus === "password"} errors={errorsOf(failure, "password")} />
            </>
          ) : (
            <>
              <p>{t("invitation.newAccount")}</p>
              <input type="email" name="username" value={invitation.email} autoComplete="username" readOnly hidden />
              <TextField name="name" label={t("invitation.name")} autoComplete="name" required autoFocus={focus === "name"} defaultValue={valueOf(failure, "name")} errors={errorsOf(failure, "name")} />
              <TextField name="password" type="password" label={t("invitation.password")} autoComplete="new-password" required autoFocus={focus === "password"} hint={t("signUp.passwordHint")} errors={errorsOf(failure, "password")} />
            </>
          )}
          <SubmitButton className="button--block">{t("invitation.accept")}</SubmitButton>
        </Form>
      )}
    </AuthLayout>
  );
}

export function ChangePasswordForm({ failure, email }: { failure?: FormFailure | null; email: string }) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, ["currentPassword", "newPassword"]);
  return (
    <>
      <FormErrorAlert failure={failure} />
      <Form key={formKey} method="post" className="form form--narrow" noValidate>
        <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
        <TextField name="currentPassword" type="password" label={t("account.currentPassword")} autoComplete="current-password" required autoFocus={focus === "currentPassword"} errors={errorsOf(failure, "currentPassword")} />
        <TextField name="newPassword" type="password" label={t("account.newPassword")} autoComplete="new-password" required autoFocus={focus === "newPassword"} hint={t("signUp.passwordHint")} errors={errorsOf(failure, "newPassword")} />
        <SubmitButton>{t("account.submit")}</SubmitButton>
      </Form>
    </>
  );
}
