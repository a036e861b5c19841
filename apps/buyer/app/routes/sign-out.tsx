import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "@souk/services";
import { orErrorPage } from "../lib/errors.server";
import { blankSessionCookie, flashCookie, safeRedirectPath } from "../lib/request.server";
import { getSession, requestDeps } from "../lib/session.server";

/** Sign-out is a POST (a link could be triggered by another site); a GET just goes home. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // A bodiless POST (a script, not our form) signs out just the same.
  const form = await request.formData().catch(() => new FormData());
  const session = await getSession(request);
  if (session) await orErrorPage(signOut({ ...requestDeps(request), session: { id: session.sessionId, userId: session.user.id } }, {}));
  const headers = new Headers();
  headers.append("Set-Cookie", blankSessionCookie());
  headers.append("Set-Cookie", flashCookie("flash.signedOut"));
  return redirect(safeRedirectPath(form.get("redirectTo"), "/sign-in"), { headers });
}
