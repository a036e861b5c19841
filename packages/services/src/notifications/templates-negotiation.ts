import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, decisionMessage, defineTemplate, formatDate, isoDate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of counter-proposals (services/src/negotiation). Spread into EMAIL_TEMPLATES (templates.ts). */

const round = z.string().regex(/^\d{1,6}$/);

const ANSWER_EN = { accepted: "accepted", declined: "declined", revised: "answered with a revised offer to" } as const;
const ANSWER_FR = { accepted: "a accepté", declined: "a refusé", revised: "a répondu par une offre révisée à" } as const;
const SUBJECT_EN = { accepted: "accepted", declined: "declined", revised: "revised offer" } as const;
const SUBJECT_FR = { accepted: "acceptée", declined: "refusée", revised: "offre révisée" } as const;

export const NEGOTIATION_TEMPLATES = {
  /** To the seller's owners and sales: the buyer sent a counter-proposal on its offer. */
  "counter.received": defineTemplate({
    params: z.object({
      name: text,
      buyerName: text,
      rfqReference: text,
      rfqTitle: text,
      round,
      lineCount: z.string().regex(/^\d{1,6}$/),
      respondBy: isoDate,
      message: decisionMessage.optional(),
      negotiationUrl: url,
    }),
    render: {
      en: (p) => ({
        subject: `Counter-proposal on ${plain(p.rfqReference)}: answer by ${formatDate("en", p.respondBy)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} sent a counter-proposal (round ${p.round}) on your offer for ${plain(p.rfqReference)} · ${plain(p.rfqTitle)}, about ${p.lineCount === "1" ? "1 line" : `${p.lineCount} lines`}.`,
          `Your offer does not change unless you accept it or answer with a revised offer. Answer before ${formatDate("en", p.respondBy)}: after that the proposal expires.`,
          ...(p.message ? ["", "Their message:", quoted(p.message)] : []),
          "",
          "Accept, decline or revise:",
          safeUrl(p.negotiationUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Contre-proposition sur ${plain(p.rfqReference)} : réponse avant le ${formatDate("fr", p.respondBy)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a envoyé une contre-proposition (tour ${p.round}) sur votre offre pour ${plain(p.rfqReference)} · ${plain(p.rfqTitle)}, portant sur ${p.lineCount === "1" ? "1 ligne" : `${p.lineCount} lignes`}.`,
          `Votre offre ne change pas tant que vous ne l'acceptez pas ou ne répondez pas par une offre révisée. Répondez avant le ${formatDate("fr", p.respondBy)} : ensuite, la proposition expire.`,
          ...(p.message ? ["", "Son message :", quoted(p.message)] : []),
          "",
          "Accepter, refuser ou réviser :",
          safeUrl(p.negotiationUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  /** To the buyer's admins and purchasers: the seller answered a counter-proposal. */
  "counter.answered": defineTemplate({
    params: z.object({
      name: text,
      sellerName: text,
      rfqReference: text,
      rfqTitle: text,
      round,
      answer: z.enum(["accepted", "declined", "revised"]),
      reason: decisionMessage.optional(),
      totalMinor: amountMinor,
      currency,
      negotiationUrl: url,
    }),
    render: {
      en: (p) => ({
        subject: `Counter-proposal ${SUBJECT_EN[p.answer]}: ${plain(p.sellerName, 80)} on ${plain(p.rfqReference)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.sellerName)} ${ANSWER_EN[p.answer]} your counter-proposal (round ${p.round}) on ${plain(p.rfqReference)} · ${plain(p.rfqTitle)}.`,
          p.answer === "declined"
            ? `Its offer stays as it was: ${amount("en", p.totalMinor, p.currency)} in all.`
            : `Its offer now totals ${amount("en", p.totalMinor, p.currency)}; that is what the comparison and the award take.`,
          ...(p.reason ? ["", "Reason given:", quoted(p.reason)] : []),
          "",
          "See the negotiation:",
          safeUrl(p.negotiationUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Contre-proposition ${SUBJECT_FR[p.answer]} : ${plain(p.sellerName, 80)} sur ${plain(p.rfqReference)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.sellerName)} ${ANSWER_FR[p.answer]} votre contre-proposition (tour ${p.round}) sur ${plain(p.rfqReference)} · ${plain(p.rfqTitle)}.`,
          p.answer === "declined"
            ? `Son offre reste inchangée : ${amount("fr", p.totalMinor, p.currency)} au total.`
            : `Son offre s'élève désormais à ${amount("fr", p.totalMinor, p.currency)} ; c'est ce que la comparaison et l'attribution retiennent.`,
          ...(p.reason ? ["", "Motif indiqué :", quoted(p.reason)] : []),
          "",
          "Voir la négociation :",
          safeUrl(p.negotiationUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
};
