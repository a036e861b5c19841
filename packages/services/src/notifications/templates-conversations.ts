import { z } from "zod";
import { plain, safeUrl } from "./text";
import { defineTemplate, signature, text, url } from "./template-kit";

/**
 * E-mail templates of buyer–seller threads (services/src/conversations): one digest per member
 * instead of one e-mail per message. Spread into EMAIL_TEMPLATES (templates.ts).
 */

const count = z.string().regex(/^\d{1,9}$/);

const lines = (...parts: (string | false)[]) => parts.filter((p): p is string => p !== false).join("\n");

export const CONVERSATION_TEMPLATES = {
  "conversation.digest": defineTemplate({
    params: z.object({
      name: text,
      organizationName: text,
      messageCount: count,
      conversationCount: count,
      /** The other organisations of the threads, the most recent first (at most five). */
      counterparties: text,
      /** How many other organisations the list leaves out. */
      moreCounterparties: count.optional(),
      messagesUrl: url,
    }),
    render: {
      en: (p) => {
        const messages = Number(p.messageCount) === 1 ? "1 unread message" : `${p.messageCount} unread messages`;
        const threads = Number(p.conversationCount) === 1 ? "1 conversation" : `${p.conversationCount} conversations`;
        const more = Number(p.moreCounterparties ?? "0");
        return {
          subject: `${messages} on Souk for ${plain(p.organizationName, 80)}`,
          text: lines(
            `Hello ${plain(p.name)},`,
            "",
            `You have ${messages} in ${threads} of ${plain(p.organizationName)}, from ${plain(p.counterparties, 500)}${more > 0 ? ` and ${more} more` : ""}.`,
            "",
            "Read and answer them on Souk:",
            safeUrl(p.messagesUrl),
            "",
            "You get at most one such summary per period, however many messages arrive.",
            "",
            signature.en,
          ),
        };
      },
      fr: (p) => {
        const messages = Number(p.messageCount) === 1 ? "1 message non lu" : `${p.messageCount} messages non lus`;
        const threads = Number(p.conversationCount) === 1 ? "1 conversation" : `${p.conversationCount} conversations`;
        const more = Number(p.moreCounterparties ?? "0");
        return {
          subject: `${messages} sur Souk pour ${plain(p.organizationName, 80)}`,
          text: lines(
            `Bonjour ${plain(p.name)},`,
            "",
            `Vous avez ${messages} dans ${threads} de ${plain(p.organizationName)}, de la part de ${plain(p.counterparties, 500)}${more > 0 ? ` et ${more} autre${more > 1 ? "s" : ""}` : ""}.`,
            "",
            "Lisez-les et répondez sur Souk :",
            safeUrl(p.messagesUrl),
            "",
            "Vous recevez au plus un tel résumé par période, quel que soit le nombre de messages.",
            "",
            signature.fr,
          ),
        };
      },
    },
  }),
} as const;
