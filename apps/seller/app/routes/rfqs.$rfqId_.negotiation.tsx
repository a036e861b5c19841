import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { answerCounter, getSellerNegotiation } from "@souk/services";
import { NEGOTIATION_FLASH, NEGOTIATION_INTENT, pageTitle, SellerNegotiationPage } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "negotiation.seller.pageTitle").map(({ title }) => ({ title: page ? `${page.view.rfq.reference} · ${title}` : title }));

/**
 * The seller's negotiation of one RFQ (getSellerNegotiation): its own offer, the buyer's
 * counter-proposals to it with their answer forms, and the timeline. Never another seller's.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  return { view: await orErrorPage(getSellerNegotiation(deps, { rfqId: params.rfqId })) };
}

const ANSWERS: Record<string, "accept" | "decline" | "revise"> = {
  [NEGOTIATION_INTENT.accept]: "accept",
  [NEGOTIATION_INTENT.decline]: "decline",
  [NEGOTIATION_INTENT.revise]: "revise",
};

/**
 * The answer to a counter-proposal (answerCounter): accept, decline with a reason, or revise. The
 * RFQ is the URL's; the counter's id is a hidden field, which the service looks up among this
 * seller's own counters on this RFQ only (anything else is NOT_FOUND).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "submit:offer:org");
  const rfqId = params.rfqId ?? "";
  return formAction(request, async (input) => {
    const answer = typeof input.intent === "string" ? ANSWERS[input.intent] : undefined;
    if (!answer) throw validationError({ _form: ["form.invalid"] });
    await answerCounter(deps, { ...input, rfqId, answer });
    return guards.redirectWith(`/rfqs/${rfqId}/negotiation#timeline`, { flash: NEGOTIATION_FLASH[answer] });
  });
}

export default function SellerNegotiation() {
  return <SellerNegotiationPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
