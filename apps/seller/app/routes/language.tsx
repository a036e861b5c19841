import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale, serializeLangCookie } from "@souk/ui";
import { safeRedirectPath } from "@souk/ui/server";
import { guards } from "../services.server";

/** The language switcher's target: remembers the choice in the `lang` cookie and goes back. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const cookie = isLocale(locale) ? { "Set-Cookie": serializeLangCookie(locale, { secure: guards.secure }) } : undefined;
  return redirect(safeRedirectPath(form.get("redirectTo")), { headers: cookie });
}
