import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { findModeratedOrderConversation } from "@souk/services";
import { orErrorPage } from "@souk/ui/server";
import { guards } from "../services.server";

/** The dispute page's link: the disputed order's thread, or a 404 when the parties never wrote about it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:conversations:any");
  const { conversationId } = await orErrorPage(findModeratedOrderConversation(deps, { orderId: params.orderId }));
  return redirect(`/conversations/${conversationId}`);
}
