import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, decisionMessage, defineTemplate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of awards, approvals and orders (services/src/approvals, services/src/orders). Spread into EMAIL_TEMPLATES (templates.ts). */

const approvalSubject = z.object({
  name: text,
  /** What waits: "RFQ-000123 · Corrugated boxes" (the requester's words, made plain). */
  subject: text,
  amountMinor,
  currency,
  approvalUrl: url,
});

export const AWARD_TEMPLATES = {
  "approval.requested": defineTemplate({
    params: approvalSubject.extend({ requesterName: text, thresholdMinor: amountMinor }),
    render: {
      en: (p) => ({
        subject: `Approval needed: ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.requesterName)} asks for your approval of ${plain(p.subject)}, for ${amount("en", p.amountMinor, p.currency)}.`,
          `It reaches your organisation's approval threshold of ${amount("en", p.thresholdMinor, p.currency)}, so nothing is ordered until an approver decides.`,
          "",
          "Review it, then approve or reject it with a comment:",
          safeUrl(p.approvalUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Approbation requise : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.requesterName)} demande votre approbation pour ${plain(p.subject)}, d'un montant de ${amount("fr", p.amountMinor, p.currency)}.`,
          `Ce montant atteint le seuil d'approbation de votre organisation (${amount("fr", p.thresholdMinor, p.currency)}) : rien n'est commandé avant la décision d'un approbateur.`,
          "",
          "Examinez la demande, puis approuvez-la ou rejetez-la avec un commentaire :",
          safeUrl(p.approvalUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "approval.approved": defineTemplate({
    params: approvalSubject.extend({ deciderName: text, comment: decisionMessage.optional() }),
    render: {
      en: (p) => ({
        subject: `Approved: ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} approved your request ${plain(p.subject)} (${amount("en", p.amountMinor, p.currency)}). The orders are placed with the sellers.`,
          ...(p.comment ? ["", "Comment:", quoted(p.comment)] : []),
          "",
          safeUrl(p.approvalUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Approuvé : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} a approuvé votre demande ${plain(p.subject)} (${amount("fr", p.amountMinor, p.currency)}). Les commandes sont passées auprès des vendeurs.`,
          ...(p.comment ? ["", "Commentaire :", quoted(p.comment)] : []),
          "",
          safeUrl(p.approvalUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "approval.rejected": defineTemplate({
    params: approvalSubject.extend({ deciderName: text, comment: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Rejected: ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} rejected your request ${plain(p.subject)} (${amount("en", p.amountMinor, p.currency)}). Nothing was ordered; you can award it again.`,
          "",
          "Reason given:",
          quoted(p.comment),
          "",
          safeUrl(p.approvalUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Rejeté : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.deciderName)} a rejeté votre demande ${plain(p.subject)} (${amount("fr", p.amountMinor, p.currency)}). Rien n'a été commandé ; vous pouvez attribuer à nouveau.`,
          "",
          "Motif indiqué :",
          quoted(p.comment),
          "",
          safeUrl(p.approvalUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "award.won": defineTemplate({
    params: z.object({ name: text, buyerName: text, rfqReference: text, rfqTitle: text, orderReference: text, amountMinor, currency, orderUrl: url }),
    render: {
      en: (p) => ({
        subject: `You won ${plain(p.rfqReference)}: order ${plain(p.orderReference)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} awarded your offer on ${plain(p.rfqReference)} (${plain(p.rfqTitle)}).`,
          `Order ${plain(p.orderReference)} is placed for ${amount("en", p.amountMinor, p.currency)}.`,
          "",
          "Open the order:",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Vous avez remporté ${plain(p.rfqReference)} : commande ${plain(p.orderReference)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a retenu votre offre sur ${plain(p.rfqReference)} (${plain(p.rfqTitle)}).`,
          `La commande ${plain(p.orderReference)} est passée pour ${amount("fr", p.amountMinor, p.currency)}.`,
          "",
          "Ouvrir la commande :",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // A losing seller learns that it lost and nothing else: no winner, no price, no total.
  "award.lost": defineTemplate({
    params: z.object({ name: text, rfqReference: text, rfqTitle: text, rfqUrl: url }),
    render: {
      en: (p) => ({
        subject: `${plain(p.rfqReference)} was awarded to another offer`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The buyer has awarded ${plain(p.rfqReference)} (${plain(p.rfqTitle)}) and did not retain your offer this time.`,
          "Thank you for taking part.",
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.rfqReference)} a été attribué à une autre offre`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'acheteur a attribué ${plain(p.rfqReference)} (${plain(p.rfqTitle)}) et n'a pas retenu votre offre cette fois-ci.`,
          "Merci de votre participation.",
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;
