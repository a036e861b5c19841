import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { CONVERSATION_LIMITS, prepareConversation, startConversation } from "@souk/services";
import { CONVERSATION_INTENT, NewConversationPage, pageTitle } from "@souk/ui";
import { formFailure, formValues, orErrorPage, readUploadForm, UploadTooLarge } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "conversations.new.title", { name: page?.start.subject.counterpartyName ?? "" });

/**
 * The first message about a listing, an RFQ or an order (`subjectKind`, `subjectId`, and `sellerId`
 * for an RFQ), from the links on those pages. A subject the member may not use is a 404; when the
 * two organisations already have a thread about it, the page goes there.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "write:conversations:org");
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const start = await orErrorPage(prepareConversation(deps, query));
  if (start.conversationId) throw redirect(`/messages/${start.conversationId}`);
  return { start };
}

/** Starts the thread (or posts in the existing one) with the first message and an optional file. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "write:conversations:org");
  let form: FormData;
  try {
    form = await readUploadForm(request, CONVERSATION_LIMITS.maxAttachmentBytes);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: ["conversationAttachment.too_large"] }), { intent: CONVERSATION_INTENT.send });
    throw error;
  }
  const values = formValues(form);
  try {
    const started = await startConversation(deps, { subjectKind: values.subjectKind, subjectId: values.subjectId, sellerId: values.sellerId, body: values.body, file: form.get("file") ?? undefined });
    return guards.redirectWith(`/messages/${started.conversationId}`, { flash: "flash.conversations.sent" });
  } catch (error) {
    return formFailure(request, error, values);
  }
}

export default function NewConversation() {
  return <NewConversationPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
