import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, decisionMessage, defineTemplate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of catalogue purchases (services/src/purchasing). Spread into EMAIL_TEMPLATES (templates.ts). */

/** A count as text (e-mail params are strings): "3". */
const count = z.string().regex(/^[1-9]\d{0,6}$/);

export const PURCHASING_TEMPLATES = {
  // To the seller's members: a catalogue purchase placed an order with them.
  "purchase.order_placed": defineTemplate({
    params: z.object({ name: text, buyerName: text, orderReference: text, amountMinor, currency, lineCount: count, poNumber: text.optional(), orderUrl: url }),
    render: {
      en: (p) => ({
        subject: `New order ${plain(p.orderReference)} from ${plain(p.buyerName, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} ordered from your catalogue: order ${plain(p.orderReference)}, ${p.lineCount === "1" ? "1 line" : `${p.lineCount} lines`}, ${amount("en", p.amountMinor, p.currency)}.`,
          ...(p.poNumber ? [`Their purchase order number: ${plain(p.poNumber)}.`] : []),
          "The stock is reserved. Accept or reject the order:",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Nouvelle commande ${plain(p.orderReference)} de ${plain(p.buyerName, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a commandé dans votre catalogue : commande ${plain(p.orderReference)}, ${p.lineCount === "1" ? "1 ligne" : `${p.lineCount} lignes`}, ${amount("fr", p.amountMinor, p.currency)}.`,
          ...(p.poNumber ? [`Son numéro de bon de commande : ${plain(p.poNumber)}.`] : []),
          "Le stock est réservé. Acceptez ou refusez la commande :",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // To the buyer who checked out: an approver rejected the purchase (approval.approved fits an approved one).
  "purchase.rejected": defineTemplate({
    params: z.object({ name: text, subject: text, amountMinor, currency, deciderName: text, comment: decisionMessage, purchaseUrl: url }),
    render: {
      en: (p) => ({
        subject: `Rejected: ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} rejected your purchase ${plain(p.subject)} (${amount("en", p.amountMinor, p.currency)}). Nothing was ordered and no stock was reserved.`,
          "",
          "Reason given:",
          quoted(p.comment),
          "",
          safeUrl(p.purchaseUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Rejeté : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} a rejeté votre achat ${plain(p.subject)} (${amount("fr", p.amountMinor, p.currency)}). Rien n'a été commandé et aucun stock n'a été réservé.`,
          "",
          "Motif indiqué :",
          quoted(p.comment),
          "",
          safeUrl(p.purchaseUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;
