import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { CONVERSATION_LIMITS, getConversation, postConversationMessage, reportConversation } from "@souk/services";
import { CONVERSATION_INTENT, ConversationPage, pageTitle } from "@souk/ui";
import { formFailure, formValues, orErrorPage, readUploadForm, UploadTooLarge } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => {
  const other = page ? (page.conversation.side === "buyer" ? page.conversation.seller.name : page.conversation.buyer.name) : "";
  return pageTitle(APP, matches, "conversations.thread.title", { name: other });
};

/** One of the organisation's threads (another organisation's is a 404); opening it marks it read. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:org");
  return { conversation: await orErrorPage(getConversation(deps, { conversationId: params.conversationId })) };
}

/** Send a message (with an optional file), or report the thread. The thread is the one in the URL, never a form field. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "write:conversations:org");
  const conversationId = params.conversationId ?? "";
  const page = `/messages/${conversationId}`;
  let form: FormData;
  try {
    form = await readUploadForm(request, CONVERSATION_LIMITS.maxAttachmentBytes);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: ["conversationAttachment.too_large"] }), { intent: CONVERSATION_INTENT.send });
    throw error;
  }
  const values = formValues(form);
  try {
    switch (values.intent ?? CONVERSATION_INTENT.send) {
      case CONVERSATION_INTENT.send:
        await postConversationMessage(deps, { conversationId, body: values.body, file: form.get("file") ?? undefined });
        return guards.redirectWith(page, { flash: "flash.conversations.sent" });
      case CONVERSATION_INTENT.report:
        await reportConversation(deps, { conversationId, reason: values.reason });
        return guards.redirectWith(page, { flash: "flash.conversations.reported" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  } catch (error) {
    return formFailure(request, error, values);
  }
}

export default function Conversation() {
  return <ConversationPage app={APP} {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
