import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSellerApplications } from "@souk/services";
import { pageTitle, SellerQueuePage } from "@souk/ui";
import { APP } from "../lib/app";
import { guards } from "../services.server";
import { listWithFilters } from "@souk/ui/server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "review.title");

/** The review queue: filters and page come from the URL (a GET form), so every view has its own link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "review:sellers:any");
  const { filters, filterErrors, ...queue } = await listWithFilters(request, (input) => listSellerApplications(deps, input));
  return { queue, filters, filterErrors };
}

export default function Sellers() {
  return <SellerQueuePage {...useLoaderData<typeof loader>()} />;
}
