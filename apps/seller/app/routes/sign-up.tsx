import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { signUp } from "@souk/services";
import { SignUpForm } from "@souk/ui";
import { AFTER_SIGN_UP, APP } from "../lib/app";
import { formFailure } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { flashCookie, formValues, localeOf, sessionCookie } from "../lib/request.server";
import { redirectIfSignedIn, requestDeps } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, `signUp.${APP}.title`);

export async function loader({ request }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const { token, expiresAt } = await signUp(requestDeps(request), { ...Object.fromEntries(form), locale: localeOf(request) });
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(token, expiresAt));
    headers.append("Set-Cookie", flashCookie("flash.welcome"));
    return redirect(AFTER_SIGN_UP, { headers });
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function SignUp() {
  const failure = useActionData<typeof action>();
  return <SignUpForm kind={APP} failure={failure} />;
}
