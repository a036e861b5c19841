import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { getPayout, markPayoutFailed, markPayoutPaid } from "@souk/services";
import { pageTitle, PayoutPage } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "payout.title", { reference: page?.detail.payout.reference ?? "" });

/** One payout: what it pays, its journals, and (while pending) the forms that record it paid or failed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "run:settlement:any");
  return { detail: await orErrorPage(getPayout(deps, { payoutId: params.payoutId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "run:settlement:any");
  // The payout is the one in the URL, never a form field.
  const payoutId = params.payoutId;
  const page = `/payouts/${payoutId}`;
  return formAction(request, async (input) => {
    switch (input.intent) {
      case "paid":
        await markPayoutPaid(deps, { payoutId, reference: input.reference });
        return guards.redirectWith(page, { flash: "flash.payout.paid" });
      case "failed":
        await markPayoutFailed(deps, { payoutId, reason: input.reason });
        return guards.redirectWith(page, { flash: "flash.payout.failed" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function Payout() {
  return <PayoutPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
