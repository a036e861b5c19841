import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listDisputes } from "@souk/services";
import { DisputesPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "disputes.title");

/** Every dispute, open ones first: status, text and page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "resolve:disputes:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listDisputes(deps, input));
  return { view, filters, filterErrors };
}

export default function Disputes() {
  return <DisputesPage {...useLoaderData<typeof loader>()} />;
}
