import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { can, ROLES } from "@souk/domain";
import { changeMemberRole, inviteMember, listMembers } from "@souk/services";
import { Alert, Card, InvitationLink, InvitationsTable, InviteMemberForm, isFormFailure, MembersTable, PageHeader, RoleGuide, useI18n } from "@souk/ui";
import { APP } from "../lib/app";
import { formFailure, orErrorPage } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { flashCookie, formValues } from "../lib/request.server";
import { requireActor } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "members.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, actor, deps } = await requireActor(request, "read:members:org");
  const list = await orErrorPage(listMembers(deps, {}));
  return {
    ...list,
    organizationName: session.organizations.find((o) => o.id === actor.organizationId)?.name ?? "",
    roles: ROLES[actor.organizationKind],
    canManage: can(actor.organizationKind, actor.role, "manage:members:org"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireActor(request, "manage:members:org");
  const form = await request.formData();
  const input = Object.fromEntries(form);
  try {
    if (form.get("intent") === "change-role") {
      await changeMemberRole(deps, input);
      return redirect("/members", { headers: { "Set-Cookie": flashCookie("flash.roleChanged") } });
    }
    const invitation = await inviteMember(deps, input);
    // The link is shown once, to the admin who just created it (it is also e-mailed); it is never stored in clear.
    return { ok: true as const, invitation: { email: invitation.email, url: invitation.acceptUrl, expiresAt: invitation.expiresAt } };
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function Members() {
  const { members, invitations, organizationName, roles, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
          <RoleGuide kind={APP} roles={roles} />
        </Card>
      ) : null}
      <Card title={t("members.invitations.title")}>
        <InvitationsTable invitations={invitations} />
      </Card>
    </div>
  );
}
