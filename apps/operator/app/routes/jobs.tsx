import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getSystemHealth, listFailedJobs, retryFailedJob } from "@souk/services";
import { JobsPage, pageTitle } from "@souk/ui";
import { formAction, listWithFilters, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards, jobs } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "jobs.title");

/** System health: the outbox backlog, queue depths, the search index's drift, and the failed jobs (of one queue, or all). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:jobs:any");
  const withQueues = { ...deps, ...jobs() };
  const [health, { filters, filterErrors, ...failed }] = await Promise.all([
    orErrorPage(getSystemHealth(withQueues, {})),
    listWithFilters(request, (input) => listFailedJobs(withQueues, input)),
  ]);
  return { health, failed, filters, filterErrors };
}

/** "Retry" on a failed job: back to its queue, then the same list again. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:jobs:any");
  return formAction(request, async (input) => {
    await retryFailedJob({ ...deps, ...jobs() }, input);
    return guards.redirectWith(`/jobs${new URL(request.url).search}`, { flash: "flash.jobRetried" });
  });
}

export default function Jobs() {
  return <JobsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
