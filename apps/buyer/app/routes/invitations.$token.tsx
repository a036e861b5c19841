import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, getInvitation } from "@souk/services";
import { AcceptInvitationPage, pageTitle } from "@souk/ui";
import { formAction, localeOf, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards, requestDeps } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "invitation.title", { organization: page?.invitation.organizationName ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [invitation, session] = await Promise.all([orErrorPage(getInvitation(requestDeps(request), { token: params.token })), guards.getSession(request)]);
  return { invitation, signedInEmail: session?.user.email ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed in or not: a signed-in invitee just confirms, anyone else gives a password.
  const deps = (await guards.getUser(request))?.deps ?? requestDeps(request);
  return formAction(request, async (input) => {
    const session = await acceptInvitation(deps, { ...input, token: params.token, locale: localeOf(request) });
    return guards.redirectWith("/", { session, flash: "flash.invitationAccepted" });
  });
}

export default function AcceptInvitation() {
  return <AcceptInvitationPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
