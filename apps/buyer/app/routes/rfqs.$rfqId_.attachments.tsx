import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { deleteRfqAttachment, getBuyerRfq, RFQ_ATTACHMENT_ACCEPT, RFQ_ATTACHMENT_LIMITS, uploadRfqAttachment } from "@souk/services";
import { BUYER_RFQ_INTENT, BuyerRfqAttachmentsPage, pageTitle, type RfqAttachmentRules } from "@souk/ui";
import { formFailure, formValues, orErrorPage, readUploadForm, UploadTooLarge } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.attachments.title").map(({ title }) => ({ title: page ? `${page.rfq.reference} · ${title}` : title }));

const RULES: RfqAttachmentRules = { maxBytes: RFQ_ATTACHMENT_LIMITS.maxBytes, maxPerRfq: RFQ_ATTACHMENT_LIMITS.maxPerRfq, accept: RFQ_ATTACHMENT_ACCEPT };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return { rfq: await orErrorPage(getBuyerRfq(deps, { rfqId: params.rfqId })), rules: RULES };
}

/** Upload a file, or remove one (the RFQ is the one in the URL). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const rfqId = params.rfqId;
  const page = `/rfqs/${rfqId}/attachments`;
  let form: FormData;
  try {
    form = await readUploadForm(request, RFQ_ATTACHMENT_LIMITS.maxBytes);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: ["rfqAttachment.too_large"] }), { intent: BUYER_RFQ_INTENT.upload });
    throw error;
  }
  const values = formValues(form);
  try {
    switch (values.intent) {
      case BUYER_RFQ_INTENT.upload:
        await uploadRfqAttachment(deps, { rfqId, file: form.get("file") ?? undefined });
        return guards.redirectWith(page, { flash: "flash.rfqBuyer.attachmentUploaded" });
      case BUYER_RFQ_INTENT.deleteAttachment:
        await deleteRfqAttachment(deps, { rfqId, attachmentId: values.attachmentId });
        return guards.redirectWith(page, { flash: "flash.rfqBuyer.attachmentRemoved" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  } catch (error) {
    return formFailure(request, error, values);
  }
}

export default function RfqAttachments() {
  return <BuyerRfqAttachmentsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
