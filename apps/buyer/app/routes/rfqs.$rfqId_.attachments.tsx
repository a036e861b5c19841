import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { deleteRfqAttachment, getBuyerRfq, RFQ_ATTACHMENT_ACCEPT, RFQ_ATTACHMENT_LIMITS, uploadRfqAttachment } from "@souk/services";
import { BUYER_RFQ_INTENT, BuyerRfqAttachmentsPage, pageTitle, type RfqAttachmentRules } from "@souk/ui";
import { formFailure, formValues, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.attachments.title").map(({ title }) => ({ title: page ? `${page.rfq.reference} · ${title}` : title }));

const RULES: RfqAttachmentRules = { maxBytes: RFQ_ATTACHMENT_LIMITS.maxBytes, maxPerRfq: RFQ_ATTACHMENT_LIMITS.maxPerRfq, accept: RFQ_ATTACHMENT_ACCEPT };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return { rfq: await orErrorPage(getBuyerRfq(deps, { rfqId: params.rfqId })), rules: RULES };
}

class UploadTooLarge extends Error {}

/**
 * The form's body: urlencoded (a removal), or multipart with the file held in memory up to the
 * limit. A larger file is dropped and read to its end (up to eight times the limit) so that the
 * browser, which sends the whole body before reading the answer, gets the page with its error.
 */
async function readForm(request: Request): Promise<FormData> {
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return request.formData();
  const maxBytes = RFQ_ATTACHMENT_LIMITS.maxBytes;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxBytes });
  let tooLarge = false;
  const handler: UploadHandler = async (part) => {
    try {
      return await memory(part);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      tooLarge = true;
      let drained = 0;
      for await (const chunk of part.data) {
        drained += chunk.byteLength;
        if (drained > 8 * maxBytes) throw new UploadTooLarge();
      }
      return undefined;
    }
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  if (tooLarge) throw new UploadTooLarge();
  return form;
}

/** Upload a file, or remove one (the RFQ is the one in the URL). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const rfqId = params.rfqId;
  const page = `/rfqs/${rfqId}/attachments`;
  let form: FormData;
  try {
    form = await readForm(request);
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
