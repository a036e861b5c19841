import type { LoaderFunctionArgs } from "@remix-run/node";
import { readConversationAttachment } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** A file of a thread a dispute or a report involves (audited); any other is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:any");
  return download(request, async () => {
    const file = await readConversationAttachment(deps, { conversationId: params.conversationId, attachmentId: params.attachmentId });
    return { name: file.fileName, contentType: file.contentType, bytes: file.bytes };
  });
}
