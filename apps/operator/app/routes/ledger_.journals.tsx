import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listJournals } from "@souk/services";
import { JournalsPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "journals.title");

/** The journals with their entries, newest first: kind, order, payout and page come from the URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:ledger:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listJournals(deps, input));
  return { view, filters, filterErrors };
}

export default function Journals() {
  return <JournalsPage {...useLoaderData<typeof loader>()} />;
}
