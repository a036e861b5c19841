import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { signIn } from "@souk/services";
import { pageTitle, SignInPage } from "@souk/ui";
import { formAction, safeRedirectPath } from "@souk/ui/server";
import { APP, SIGN_UP_LINK } from "../lib/app";
import { guards, requestDeps } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "signIn.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await guards.redirectIfSignedIn(request, safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  return formAction(request, async (input, form) => guards.redirectWith(safeRedirectPath(form.get("redirectTo")), { session: await signIn(requestDeps(request), input) }));
}

export default function SignIn() {
  return <SignInPage result={useActionData<typeof action>()} signUp={SIGN_UP_LINK} />;
}
