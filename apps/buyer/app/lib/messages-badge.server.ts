import { countUnreadMessages } from "@souk/services";
import type { PageSession } from "@souk/ui/server";
import { requestDeps } from "../services.server";

/** The navigation's "Messages (n)": unread thread messages of the signed-in member (root loader). */
export function messageBadges(request: Request) {
  return async (session: PageSession): Promise<Record<string, number>> => {
    if (!session.actor) return {};
    const deps = { ...requestDeps(request), session: { id: session.sessionId, userId: session.user.id }, actor: session.actor };
    return { messages: await countUnreadMessages(deps) };
  };
}
