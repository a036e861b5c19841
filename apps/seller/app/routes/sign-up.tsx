import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { signUp } from "@souk/services";
import { pageTitle, SignUpPage } from "@souk/ui";
import { formAction, localeOf } from "@souk/ui/server";
import { AFTER_SIGN_UP, APP } from "../lib/app";
import { guards, requestDeps } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, `signUp.${APP}.title`);

export async function loader({ request }: LoaderFunctionArgs) {
  await guards.redirectIfSignedIn(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  return formAction(request, async (input) => {
    const session = await signUp(requestDeps(request), { ...input, locale: localeOf(request) });
    return guards.redirectWith(AFTER_SIGN_UP, { session, flash: "flash.welcome" });
  });
}

export default function SignUp() {
  return <SignUpPage kind={APP} result={useActionData<typeof action>()} />;
}
