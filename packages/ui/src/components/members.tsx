import { Form, Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import type { AppKind, FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { buttonClass, errorsOf, firstInvalid, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "./form";
import { DataTable } from "./table";

export interface MemberRow {
  membershipId: string;
  name: string;
  email: string;
  role: string;
  joinedAt: Date | string;
  isSelf: boolean;
}

export interface InvitationRow {
  invitationId: string;
  email: string;
  role: string;
  invitedByName: string;
  createdAt: Date | string;
  expiresAt: Date | string;
}

/** A role's name in the current language; a role the dictionary does not know yet shows as its code. */
export function useRoleLabel(): (role: string) => string {
  const { t } = useI18n();
  return (role) => {
    const key = `roleName.${role}`;
    return isMessageKey(key) ? t(key) : role;
  };
}

/**
 * The members of the organisation. Administrators get a role selector and a remove link per row;
 * removal goes through a confirmation page, so it works without JavaScript.
 */
export function MembersTable({ members, roles, canManage, organizationName, failure, failedMembershipId }: {
  members: readonly MemberRow[];
  roles: readonly string[];
  canManage: boolean;
  organizationName: string;
  failure?: FormFailure | null;
  /** The row whose role change failed, to show its error beside it. */
  failedMembershipId?: string | null;
}) {
  const { t, formatDate } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <DataTable
      caption={t("members.table.caption", { organization: organizationName })}
      columns={[t("members.table.name"), t("members.table.email"), t("members.table.role"), t("members.table.joined")]}
      actions={canManage}
    >
      {members.map((m) => (
        <tr key={m.membershipId}>
          <th scope="row" className="cell-name">
            {m.name}
            {m.isSelf ? <span className="muted"> ({t("members.you")})</span> : null}
          </th>
          <td>{m.email}</td>
          <td>
            {canManage && !m.isSelf ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="membershipId" value={m.membershipId} />
                <SelectField
                  name="role"
                  label={t("members.roleFor", { name: m.name })}
                  hideLabel
                  options={roles.map((r) => ({ value: r, label: roleLabel(r) }))}
                  defaultValue={m.role}
                  errors={failedMembershipId === m.membershipId ? (errorsOf(failure, "role") ?? errorsOf(failure, "membershipId")) : undefined}
                />
                <SubmitButton variant="secondary" name="intent" value="change-role" className="button--compact" aria-label={`${t("members.saveRole")}: ${m.name}`}>
                  {t("members.saveRole")}
                </SubmitButton>
              </Form>
            ) : (
              <Badge tone="info">{roleLabel(m.role)}</Badge>
            )}
          </td>
          <td>{formatDate(m.joinedAt)}</td>
          {canManage ? (
            <td className="cell-actions">
              {m.isSelf ? null : (
                <Link to={`/members/${m.membershipId}/remove`} className={buttonClass("ghost", "button--compact button--danger-text")} aria-label={t("members.removeLabel", { name: m.name })}>
                  {t("members.remove")}
                </Link>
              )}
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}

export function InvitationsTable({ invitations }: { invitations: readonly InvitationRow[] }) {
  const { t, formatDate } = useI18n();
  const roleLabel = useRoleLabel();
  if (invitations.length === 0) return <p className="muted">{t("members.invitations.empty")}</p>;
  return (
    <DataTable
      caption={t("members.invitations.caption")}
      columns={[t("members.table.email"), t("members.table.role"), t("members.invitations.invitedBy"), t("members.invitations.expires")]}
    >
      {invitations.map((i) => (
        <tr key={i.invitationId}>
          <th scope="row" className="cell-name">
            {i.email}
          </th>
          <td>
            <Badge>{roleLabel(i.role)}</Badge>
          </td>
          <td>{i.invitedByName}</td>
          <td>{formatDate(i.expiresAt)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function InviteMemberForm({ roles, failure }: { roles: readonly string[]; failure?: FormFailure | null }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, ["email", "role"]);
  return (
    <Form key={formKey} method="post" className="form invite-form" noValidate>
      <TextField name="email" type="email" label={t("members.invite.email")} autoComplete="off" required autoFocus={focus === "email"} defaultValue={valueOf(failure, "email")} errors={errorsOf(failure, "email")} />
      <SelectField
        name="role"
        label={t("members.invite.role")}
        required
        options={roles.map((r) => ({ value: r, label: roleLabel(r) }))}
        defaultValue={valueOf(failure, "role")}
        errors={errorsOf(failure, "role")}
      />
      <SubmitButton name="intent" value="invite" className="invite-submit">
        {t("members.invite.submit")}
      </SubmitButton>
    </Form>
  );
}

/** What each role may do, beside the role selector. */
export function RoleGuide({ kind, roles }: { kind: AppKind; roles: readonly string[] }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <dl className="role-guide">
      {roles.map((r) => {
        const hint = `roleHint.${kind}.${r}`;
        return (
          <div key={r} className="role-guide-item">
            <dt>{roleLabel(r)}</dt>
            <dd>{isMessageKey(hint) ? t(hint) : ""}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/** Shown once after an invitation: the link, selectable without JavaScript, copyable with it. */
export function InvitationLink({ email, url, expiresAt }: { email: string; url: string; expiresAt: Date | string }) {
  const { t, formatDate } = useI18n();
  const [hydrated, setHydrated] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Alert tone="success" title={t("members.invite.sent", { email })}>
      <div className="copy-field">
        <label htmlFor="invitation-link" className="field-label">
          {t("members.invite.linkLabel")}
        </label>
        <div className="copy-row">
          <input id="invitation-link" className="input input--mono" value={url} readOnly aria-describedby="invitation-link-help" onFocus={(e) => e.currentTarget.select()} />
          {hydrated ? (
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => {
                void navigator.clipboard.writeText(url).then(() => setCopied(true));
              }}
            >
              {copied ? t("members.invite.copied") : t("members.invite.copy")}
            </button>
          ) : null}
        </div>
        <p className="field-hint" id="invitation-link-help">
          {t("members.invite.linkHelp", { date: formatDate(expiresAt) })}
        </p>
        <span className="visually-hidden" aria-live="polite">
          {copied ? t("members.invite.copied") : ""}
        </span>
      </div>
    </Alert>
  );
}

export function RemoveMemberConfirm({ member, organizationName, failure }: { member: MemberRow; organizationName: string; failure?: FormFailure | null }) {
  const { t } = useI18n();
  return (
    <section className="card confirm-card" aria-labelledby="remove-title">
      <h1 id="remove-title">{t("removeMember.title", { name: member.name })}</h1>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <p>{t("removeMember.body", { name: member.name, email: member.email, organization: organizationName })}</p>
      <Form method="post" className="button-row">
        <SubmitButton variant="danger">{t("removeMember.confirm")}</SubmitButton>
        <Link to="/members" className={buttonClass("secondary")}>
          {t("removeMember.cancel")}
        </Link>
      </Form>
    </section>
  );
}
