import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { searchCatalogue } from "@souk/services";
import { CatalogueSearchPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "buyerCatalogue.title");

/**
 * The catalogue search: query, filters, sort and page are the URL's (a GET form and links), so every
 * search has its own address and works without JavaScript. The service reads what it can of them
 * and leaves the rest out: a hand-edited URL never breaks the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return { view: await orErrorPage(searchCatalogue(deps, Object.fromEntries(new URL(request.url).searchParams))) };
}

export default function Catalogue() {
  return <CatalogueSearchPage {...useLoaderData<typeof loader>()} />;
}
