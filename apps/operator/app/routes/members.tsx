import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { changeMemberRole, inviteMember, listMembers } from "@souk/services";
import { MembersPage, pageTitle } from "@souk/ui";
import { formAction, membersPageData, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "members.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await guards.requireActor(request, "read:members:org");
  return membersPageData(context, await orErrorPage(listMembers(context.deps, {})));
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:members:org");
  return formAction(request, async (input) => {
    if (input.intent === "change-role") {
      await changeMemberRole(deps, input);
      return guards.redirectWith("/members", { flash: "flash.roleChanged" });
    }
    const { email, acceptUrl: url, expiresAt } = await inviteMember(deps, input);
    // The link is shown once, to the admin who just created it (it is also e-mailed); it is never stored in clear.
    return { ok: true as const, invitation: { email, url, expiresAt } };
  });
}

export default function Members() {
  return <MembersPage app={APP} {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
