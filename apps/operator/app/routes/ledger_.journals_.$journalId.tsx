import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getJournal } from "@souk/services";
import { journalReference, JournalPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "journal.title", { reference: page ? journalReference(page.journal.number) : "" });

/** One journal: its entries (debits and credits), what it is for, and for a settlement the commission rule frozen onto it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:ledger:any");
  return { journal: await orErrorPage(getJournal(deps, { journalId: params.journalId })) };
}

export default function Journal() {
  return <JournalPage {...useLoaderData<typeof loader>()} />;
}
