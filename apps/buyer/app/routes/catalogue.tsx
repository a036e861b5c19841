import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { searchCatalogue } from "@souk/services";
import { CatalogueSearchPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueCartAction, cataloguePurchasing } from "../lib/purchasing.server";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "buyerCatalogue.title");

/**
 * The catalogue search: query, filters, sort and page are the URL's (a GET form and links), so every
 * search has its own address and works without JavaScript. The service reads what it can of them
 * and leaves the rest out: a hand-edited URL never breaks the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return { view: await orErrorPage(searchCatalogue(deps, Object.fromEntries(new URL(request.url).searchParams))), purchasing: await cataloguePurchasing(deps) };
}

/** "Add to cart" / "Add to list" on a result: back to the same search. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return catalogueCartAction(request, deps);
}

export default function Catalogue() {
  return <CatalogueSearchPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
