import { Alert } from "../components/alert";
import { Card, PageHeader } from "../components/layout";
import { InvitationLink, InvitationsTable, InviteMemberForm, MembersTable, RemoveMemberConfirm, RoleGuide, type InvitationRow, type MemberRow } from "../components/members";
import { useI18n } from "../i18n/context";
import { isFormFailure, type AppKind, type FormFailure } from "../types";

/** What the members action returns after an invitation: the link, shown once to the admin who created it. */
export interface InvitationCreated {
  ok: true;
  invitation: { email: string; url: string; expiresAt: Date | string };
}

export function MembersPage({ app, members, invitations, organizationName, roles, canManage, result }: {
  app: AppKind;
  members: readonly MemberRow[];
  invitations: readonly InvitationRow[];
  organizationName: string;
  roles: readonly string[];
  canManage: boolean;
  result: FormFailure | InvitationCreated | null | undefined;
}) {
  const { t } = useI18n();
  const failure = isFormFailure(result) ? result : null;
  const inviteFailure = failure && failure.values.intent !== "change-role" ? failure : null;
  const roleFailure = failure && failure.values.intent === "change-role" ? failure : null;
  const invited = result && !isFormFailure(result) ? result.invitation : null;
  return (
    <div className="stack">
      <PageHeader title={t("members.title")} description={t("members.intro", { organization: organizationName })} />
      {invited ? <InvitationLink email={invited.email} url={invited.url} expiresAt={invited.expiresAt} /> : null}
      {roleFailure?.formError ? <Alert tone="error">{roleFailure.formError}</Alert> : null}
      {/* A member no longer in the list (removed meanwhile): its row, where the error would go, is gone. */}
      {roleFailure && !members.some((m) => m.membershipId === roleFailure.values.membershipId) && roleFailure.fieldErrors.membershipId ? (
        <Alert tone="error">{roleFailure.fieldErrors.membershipId.join(" ")}</Alert>
      ) : null}
      <Card title={t("members.title")}>
        <MembersTable
          members={members}
          roles={roles}
          canManage={canManage}
          organizationName={organizationName}
          failure={roleFailure}
          failedMembershipId={roleFailure?.values.membershipId ?? null}
        />
        {canManage ? null : <p className="muted">{t("members.readOnly")}</p>}
      </Card>
      {canManage ? (
        <Card title={t("members.invite.title")} id="invite">
          <p className="muted">{t("members.invite.intro")}</p>
          {inviteFailure?.formError ? <Alert tone="error">{inviteFailure.formError}</Alert> : null}
          {/* A new key after each invitation empties the form (with JavaScript the page is not reloaded). */}
          <InviteMemberForm key={invited?.url ?? "invite"} roles={roles} failure={inviteFailure} />
          <RoleGuide kind={app} roles={roles} />
        </Card>
      ) : null}
      <Card title={t("members.invitations.title")}>
        <InvitationsTable invitations={invitations} />
      </Card>
    </div>
  );
}

/** The confirmation step of removing a member: a page of its own, so it works without JavaScript. */
export function RemoveMemberPage({ member, organizationName, result }: { member: MemberRow; organizationName: string; result: FormFailure | null | undefined }) {
  const failure = isFormFailure(result) ? result : null;
  // A refused removal (last administrator) comes back as a field error of the membership.
  const shown = failure ? { ...failure, formError: failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ") } : null;
  return <RemoveMemberConfirm member={member} organizationName={organizationName} failure={shown} />;
}
