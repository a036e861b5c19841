import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { switchOrganization } from "@souk/services";
import { orErrorPage } from "../lib/errors.server";
import { flashCookie, safeRedirectPath } from "../lib/request.server";
import { requireUser } from "../lib/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireUser(request);
  const form = await request.formData();
  await orErrorPage(switchOrganization(deps, Object.fromEntries(form)));
  // The page we came from may belong to the previous organisation (a member's page): go home.
  const back = safeRedirectPath(form.get("redirectTo"));
  return redirect(back.startsWith("/members/") ? "/members" : back, { headers: { "Set-Cookie": flashCookie("flash.organizationSwitched") } });
}
