import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { switchOrganization } from "@souk/services";
import { orErrorPage, safeRedirectPath } from "@souk/ui/server";
import { guards } from "../services.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireUser(request);
  const form = await request.formData();
  await orErrorPage(switchOrganization(deps, Object.fromEntries(form)));
  // The page we came from may belong to the previous organisation (a member's page): go to the list.
  const back = safeRedirectPath(form.get("redirectTo"));
  return guards.redirectWith(back.startsWith("/members/") ? "/members" : back, { flash: "flash.organizationSwitched" });
}
