import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listLedgerAccounts } from "@souk/services";
import { LedgerAccountsPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "ledger.tabs.accounts");

/** The ledger's accounts and balances: kind, currency, organisation and page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:ledger:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listLedgerAccounts(deps, input));
  return { view, filters, filterErrors };
}

export default function LedgerAccounts() {
  return <LedgerAccountsPage {...useLoaderData<typeof loader>()} />;
}
