import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listApprovals } from "@souk/services";
import { ApprovalsPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "approvals.title");

/** Approvals to decide (pending first) and the decided history; requesters follow their own here too. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request);
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listApprovals(deps, input));
  return { view, filters, filterErrors };
}

export default function Approvals() {
  return <ApprovalsPage {...useLoaderData<typeof loader>()} />;
}
