import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "@souk/services";
import { orErrorPage, safeRedirectPath } from "@souk/ui/server";
import { guards } from "../services.server";

/** Sign-out is a POST (a link could be triggered by another site); a GET just goes home. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // A bodiless POST (a script, not our form) signs out just the same.
  const form = await request.formData().catch(() => new FormData());
  const user = await guards.getUser(request);
  if (user) await orErrorPage(signOut(user.deps, {}));
  return guards.redirectWith(safeRedirectPath(form.get("redirectTo"), "/sign-in"), { endSession: true, flash: "flash.signedOut" });
}
