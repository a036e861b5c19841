import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertParticipantCan, markRead, mayWrite, organizationNames, participantConversation, subjectLabels, subjectView, threadMessages, type ConversationSide, type MessageView, type SubjectView } from "./shared";

export const getConversationSchema = z.object({ conversationId: z.unknown() });

export interface ConversationView {
  id: string;
  /** The viewer's side: its messages are "ours". */
  side: ConversationSide;
  subject: SubjectView;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  /** The most recent messages (at most 200), oldest first. */
  messages: MessageView[];
  canWrite: boolean;
  /** Whether the viewer's organisation reported this thread already. */
  reported: boolean;
}

/**
 * One of the organisation's threads with its messages; opening it marks it read for this user.
 * Another organisation's thread is NOT_FOUND (decision 0004), whatever the id.
 */
export async function getConversation(deps: ActorDeps, input: unknown): Promise<ConversationView> {
  const { actor, db } = deps;
  const side = assertParticipantCan(actor, "read:conversations:org");
  const conversation = await participantConversation(db, actor, side, parseInput(getConversationSchema, input).conversationId);
  const [messages, labels, names, report] = await Promise.all([
    threadMessages(db, conversation.id),
    subjectLabels(db, [conversation]),
    organizationNames(db, [conversation.buyer_id, conversation.seller_id]),
    db.selectFrom("conversation_reports").select("id").where("conversation_id", "=", conversation.id).where("reported_by_org", "=", actor.organizationId).executeTakeFirst(),
  ]);
  const last = messages.at(-1);
  if (last) await markRead(db, conversation.id, actor.userId, last.id);
  return {
    id: conversation.id,
    side,
    subject: subjectView(labels, conversation),
    buyer: { id: conversation.buyer_id, name: names.get(conversation.buyer_id) ?? "" },
    seller: { id: conversation.seller_id, name: names.get(conversation.seller_id) ?? "" },
    messages,
    canWrite: mayWrite(actor),
    reported: report !== undefined,
  };
}
