import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { getOfferNegotiation, sendCounter } from "@souk/services";
import { BuyerNegotiationPage, NEGOTIATION_FLASH, NEGOTIATION_INTENT, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "negotiation.buyer.pageTitle").map(({ title }) => ({ title: page ? `${page.view.seller.name} · ${page.view.rfq.reference} · ${title}` : title }));

/**
 * The buyer's negotiation with one seller of its RFQ (getOfferNegotiation): the offer as it
 * stands, the counter form, and the timeline of rounds and receipts. Another buyer's RFQ, an offer
 * of another RFQ, or a sealed RFQ's offer before its close: the service's NOT_FOUND.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return { view: await orErrorPage(getOfferNegotiation(deps, { rfqId: params.rfqId, offerId: params.offerId })) };
}

/** The counter-proposal (sendCounter). The RFQ and the offer are the URL's, never form fields. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  const rfqId = params.rfqId ?? "";
  const offerId = params.offerId ?? "";
  return formAction(request, async (input) => {
    if (input.intent !== NEGOTIATION_INTENT.counter) throw validationError({ _form: ["form.invalid"] });
    await sendCounter(deps, { ...input, rfqId, offerId });
    return guards.redirectWith(`/rfqs/${rfqId}/offers/${offerId}#timeline`, { flash: NEGOTIATION_FLASH.counter });
  });
}

export default function OfferNegotiation() {
  return <BuyerNegotiationPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
