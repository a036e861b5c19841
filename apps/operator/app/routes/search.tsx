import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getSearchIndexHealth, requestSearchReindex } from "@souk/services";
import { pageTitle, SearchIndexPage, type MessageKey } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "operatorCatalogue.search.title");

const QUEUED: Record<"reconcile" | "reindex", MessageKey> = {
  reconcile: "operatorCatalogue.flash.reconcileQueued",
  reindex: "operatorCatalogue.flash.reindexQueued",
};

/** Index health: listings PostgreSQL would have searchable against the index's documents, and the latest runs. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:search:any");
  return { health: await orErrorPage(getSearchIndexHealth(deps, {})) };
}

/** "Reconcile now" / "Rebuild index": queues a run for the worker; one already queued or running is a conflict shown on the page. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:search:any");
  return formAction(request, async (input) => {
    await requestSearchReindex(deps, input);
    return guards.redirectWith("/search", { flash: QUEUED[input.kind === "reindex" ? "reindex" : "reconcile"] });
  });
}

export default function SearchIndex() {
  return <SearchIndexPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
