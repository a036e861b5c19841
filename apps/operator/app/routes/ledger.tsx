import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getTrialBalance } from "@souk/services";
import { pageTitle, TrialBalancePage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "ledger.title");

/** The trial balance of the whole ledger per currency, with the balance of each kind of account. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:ledger:any");
  return { view: await orErrorPage(getTrialBalance(deps)) };
}

export default function Ledger() {
  return <TrialBalancePage {...useLoaderData<typeof loader>()} />;
}
