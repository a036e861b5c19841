import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { changePassword } from "@souk/services";
import { AccountPage, pageTitle } from "@souk/ui";
import { formAction } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await guards.requireUser(request);
  return { user: session.user, organizations: session.organizations };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireUser(request);
  // Every other session ends; this browser continues with the fresh session returned.
  return formAction(request, async (input) => guards.redirectWith("/account", { session: await changePassword(deps, input), flash: "flash.passwordChanged" }));
}

export default function Account() {
  return <AccountPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
