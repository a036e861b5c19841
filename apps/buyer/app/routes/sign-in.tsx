import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useSearchParams } from "@remix-run/react";
import { signIn } from "@souk/services";
import { SignInForm, useI18n } from "@souk/ui";
import { SIGN_UP_LINK } from "../lib/app";
import { formFailure } from "../lib/errors.server";
import { pageTitle } from "../lib/meta";
import { formValues, safeRedirectPath, sessionCookie } from "../lib/request.server";
import { redirectIfSignedIn, requestDeps } from "../lib/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "signIn.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const { token, expiresAt } = await signIn(requestDeps(request), Object.fromEntries(form));
    return redirect(safeRedirectPath(form.get("redirectTo")), { headers: { "Set-Cookie": sessionCookie(token, expiresAt) } });
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function SignIn() {
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useI18n();
  return (
    <SignInForm
      failure={failure}
      redirectTo={params.get("redirectTo")}
      signUp={SIGN_UP_LINK ? { to: SIGN_UP_LINK.to, label: t(SIGN_UP_LINK.label) } : null}
      operatorNote={!SIGN_UP_LINK}
    />
  );
}
