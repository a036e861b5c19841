import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { listMembers, removeMember } from "@souk/services";
import { pageTitle, RemoveMemberPage } from "@souk/ui";
import { activeOrganization, formAction, notFoundPage, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "removeMember.title", { name: page?.member.name ?? "" });

/** The confirmation step of removing a member: a page of its own, so it works without JavaScript. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, deps } = await guards.requireActor(request, "manage:members:org");
  const { members } = await orErrorPage(listMembers(deps, {}));
  const member = members.find((m) => m.membershipId === params.membershipId);
  if (!member || member.isSelf) notFoundPage();
  return { member, organizationName: activeOrganization(session)?.name ?? "" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:members:org");
  return formAction(request, async () => {
    await removeMember(deps, { membershipId: params.membershipId });
    return guards.redirectWith("/members", { flash: "flash.memberRemoved" });
  });
}

export default function RemoveMember() {
  return <RemoveMemberPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
