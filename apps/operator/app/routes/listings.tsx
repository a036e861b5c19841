import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listListingsForModeration } from "@souk/services";
import { ModerationListingsPage, pageTitle } from "@souk/ui";
import { APP } from "../lib/app";
import { guards } from "../services.server";
import { listWithFilters } from "@souk/ui/server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "operatorCatalogue.listings.title");

/** Every seller's listings: text, status and seller filters and the page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "moderate:listings:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listListingsForModeration(deps, input));
  return { view, filters, filterErrors };
}

export default function Listings() {
  return <ModerationListingsPage {...useLoaderData<typeof loader>()} />;
}
