import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { listPayouts, requestPayoutRun } from "@souk/services";
import { pageTitle, PayoutsPage } from "@souk/ui";
import { formAction, listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "payouts.title");

/** Every seller's payouts: status, seller and page come from the URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "run:settlement:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listPayouts(deps, input));
  return { view, filters, filterErrors };
}

/** "Run payouts now": a payout run whatever the schedule. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "run:settlement:any");
  return formAction(request, async (input) => {
    if (input.intent !== "run") throw validationError({ _form: ["form.invalid"] });
    await requestPayoutRun(deps);
    return guards.redirectWith("/payouts", { flash: "flash.payouts.runRequested" });
  });
}

export default function Payouts() {
  return <PayoutsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
