import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { listMembers, removeMember } from "@souk/services";
import { RemoveMemberConfirm, isFormFailure } from "@souk/ui";
import { formFailure, notFoundPage, orErrorPage } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { flashCookie, formValues } from "../lib/request.server";
import { requireActor } from "../lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(matches, "removeMember.title", { name: page?.member.name ?? "" });

/** The confirmation step of removing a member: a page of its own, so it works without JavaScript. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, actor, deps } = await requireActor(request, "manage:members:org");
  const { members } = await orErrorPage(listMembers(deps, {}));
  const member = members.find((m) => m.membershipId === params.membershipId);
  if (!member || member.isSelf) notFoundPage();
  return { member, organizationName: session.organizations.find((o) => o.id === actor.organizationId)?.name ?? "" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireActor(request, "manage:members:org");
  const form = await request.formData();
  try {
    await removeMember(deps, { membershipId: params.membershipId });
    return redirect("/members", { headers: { "Set-Cookie": flashCookie("flash.memberRemoved") } });
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function RemoveMember() {
  const { member, organizationName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = isFormFailure(result) ? result : null;
  // A refused removal (last administrator) comes back as a field error of the membership.
  const shown = failure ? { ...failure, formError: failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ") } : null;
  return <RemoveMemberConfirm member={member} organizationName={organizationName} failure={shown} />;
}
