import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { askQuestion, getSellerRfq, OFFER_ATTACHMENT_ACCEPT, OFFER_ATTACHMENT_LIMITS, saveOffer, withdrawOffer } from "@souk/services";
import { pageTitle, SELLER_RFQ_INTENT, SellerRfqPage, MessageLink } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqInbox.title").map(({ title }) => ({ title: page ? `${page.view.rfq.reference} ${page.view.rfq.title} · ${title}` : title }));

/**
 * One RFQ as the seller sees it (getSellerRfq: never anything of another seller's offer). `?receipt=`
 * (the offer's revision: a receipt's sequence would tell how many times the others wrote) shows the
 * receipt of the action just made; `?confirm=withdraw` asks to confirm a withdrawal.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  const view = await orErrorPage(getSellerRfq(deps, { rfqId: params.rfqId }));
  const url = new URL(request.url);
  const receipt = Number(url.searchParams.get("receipt") ?? "");
  return {
    view,
    eventsUrl: view.rfq.status === "open" || view.rfq.status === "closed" ? `/rfqs/${view.rfq.id}/events` : null,
    receiptRevision: Number.isSafeInteger(receipt) && receipt > 0 ? receipt : null,
    confirmWithdraw: url.searchParams.get("confirm") === "withdraw",
    fileRules: { maxBytes: OFFER_ATTACHMENT_LIMITS.maxBytes, maxPerOffer: OFFER_ATTACHMENT_LIMITS.maxPerOffer, accept: OFFER_ATTACHMENT_ACCEPT },
  };
}

/** The offer (submit or revise), its withdrawal, and questions. The RFQ is the one in the URL, never a form field. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "submit:offer:org");
  const rfqId = params.rfqId ?? "";
  const page = `/rfqs/${rfqId}`;
  return catalogueFormAction(request, {}, async ({ intent, input }) => {
    switch (intent) {
      case SELLER_RFQ_INTENT.save: {
        const saved = await saveOffer(deps, { ...input, rfqId });
        return guards.redirectWith(`${page}?receipt=${saved.receipt.revision}#receipt`, { flash: saved.status === "revised" ? "flash.rfqOffer.revised" : "flash.rfqOffer.submitted" });
      }
      case SELLER_RFQ_INTENT.withdraw: {
        const withdrawn = await withdrawOffer(deps, { rfqId });
        return guards.redirectWith(`${page}?receipt=${withdrawn.receipt.revision}#receipt`, { flash: "flash.rfqOffer.withdrawn" });
      }
      case SELLER_RFQ_INTENT.ask:
        await askQuestion(deps, { rfqId, question: typeof input.question === "string" ? input.question : "" });
        return guards.redirectWith(`${page}#questions`, { flash: "flash.rfqOffer.questionSent" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function SellerRfq() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <MessageLink app="seller" subject={{ kind: "rfq", id: page.view.rfq.id }} label="conversations.link.messageBuyer" />
      </p>
      <SellerRfqPage {...page} result={useActionData<typeof action>()} />
    </>
  );
}
