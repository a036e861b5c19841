import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, getInvitation } from "@souk/services";
import { AcceptInvitationForm, isFormFailure } from "@souk/ui";
import { useRoleLabel } from "@souk/ui";
import { formFailure, orErrorPage } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { flashCookie, formValues, localeOf, sessionCookie } from "../lib/request.server";
import { getSession, requestDeps } from "../lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(matches, "invitation.title", { organization: page?.invitation.organizationName ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [invitation, session] = await Promise.all([orErrorPage(getInvitation(requestDeps(request), { token: params.token })), getSession(request)]);
  return { invitation, signedInEmail: session?.user.email ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await getSession(request);
  const form = await request.formData();
  const deps = { ...requestDeps(request), ...(session ? { session: { id: session.sessionId, userId: session.user.id } } : {}) };
  try {
    const { token, expiresAt } = await acceptInvitation(deps, { ...Object.fromEntries(form), token: params.token, locale: localeOf(request) });
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(token, expiresAt));
    headers.append("Set-Cookie", flashCookie("flash.invitationAccepted"));
    return redirect("/", { headers });
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function AcceptInvitation() {
  const { invitation, signedInEmail } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const roleLabel = useRoleLabel();
  return (
    <AcceptInvitationForm
      invitation={invitation}
      roleLabel={roleLabel(invitation.role)}
      signedInEmail={signedInEmail}
      failure={isFormFailure(result) ? result : null}
    />
  );
}
