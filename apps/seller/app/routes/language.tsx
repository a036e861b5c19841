import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale, serializeLangCookie } from "@souk/ui";
import { isSecure, safeRedirectPath } from "../lib/request.server";

/** The language switcher's target: remembers the choice in the `lang` cookie and goes back. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const back = safeRedirectPath(form.get("redirectTo"));
  if (!isLocale(locale)) return redirect(back);
  return redirect(back, { headers: { "Set-Cookie": serializeLangCookie(locale, { secure: isSecure }) } });
}
