import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { deleteOfferAttachment, getSellerRfq, OFFER_ATTACHMENT_ACCEPT, OFFER_ATTACHMENT_LIMITS, uploadOfferAttachment } from "@souk/services";
import { pageTitle, SELLER_RFQ_INTENT, SellerOfferFilesPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqOffer.files.title").map(({ title }) => ({ title: page ? `${page.view.rfq.reference} · ${title}` : title }));

/** The files of the seller's offer on one RFQ (the RFQ page posts its upload and removals here). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  const view = await orErrorPage(getSellerRfq(deps, { rfqId: params.rfqId }));
  return { view, rules: { maxBytes: OFFER_ATTACHMENT_LIMITS.maxBytes, maxPerOffer: OFFER_ATTACHMENT_LIMITS.maxPerOffer, accept: OFFER_ATTACHMENT_ACCEPT } };
}

/** Upload (multipart, capped at the limit) or remove a file; a refusal is shown on this page beside the file field. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "submit:offer:org");
  const rfqId = params.rfqId ?? "";
  const back = `/rfqs/${rfqId}#offer-files`;
  const upload = { maxBytes: OFFER_ATTACHMENT_LIMITS.maxBytes, tooLarge: "offerAttachment.too_large", intent: SELLER_RFQ_INTENT.upload };
  return catalogueFormAction(request, { upload }, async ({ intent, input }) => {
    switch (intent) {
      case SELLER_RFQ_INTENT.upload:
        await uploadOfferAttachment(deps, { rfqId, file: input.file });
        return guards.redirectWith(back, { flash: "flash.rfqOffer.fileUploaded" });
      case SELLER_RFQ_INTENT.removeFile:
        await deleteOfferAttachment(deps, { rfqId, attachmentId: input.attachmentId });
        return guards.redirectWith(back, { flash: "flash.rfqOffer.fileRemoved" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function OfferFiles() {
  return <SellerOfferFilesPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
