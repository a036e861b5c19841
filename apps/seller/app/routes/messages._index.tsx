import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listConversations } from "@souk/services";
import { ConversationsListPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "conversations.title");

/** The organisation's threads with the sellers, the most recent first, with this member's unread counts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:org");
  const url = new URL(request.url);
  return { list: await orErrorPage(listConversations(deps, { page: url.searchParams.get("page") ?? undefined })) };
}

export default function Messages() {
  return <ConversationsListPage {...useLoaderData<typeof loader>()} />;
}
