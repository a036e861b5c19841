import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listModeratedConversations } from "@souk/services";
import { ModeratedConversationsPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "conversations.moderation.title");

/** The threads a moderator may read: those of a disputed order and those reported. Who and what only; reading one is audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:any");
  const url = new URL(request.url);
  return { list: await orErrorPage(listModeratedConversations(deps, { page: url.searchParams.get("page") ?? undefined })) };
}

export default function ModeratedConversations() {
  return <ModeratedConversationsPage {...useLoaderData<typeof loader>()} />;
}
