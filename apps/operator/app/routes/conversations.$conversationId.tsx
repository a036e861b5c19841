import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getModeratedConversation } from "@souk/services";
import { ModeratedConversationPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "conversations.moderation.threadTitle", { buyer: page?.conversation.buyer.name ?? "", seller: page?.conversation.seller.name ?? "" });

/** One thread a dispute or a report involves; every reading is written to the audit log. Any other thread is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:any");
  return { conversation: await orErrorPage(getModeratedConversation(deps, { conversationId: params.conversationId })) };
}

export default function ModeratedConversation() {
  return <ModeratedConversationPage {...useLoaderData<typeof loader>()} />;
}
