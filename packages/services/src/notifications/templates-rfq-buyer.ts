import { z } from "zod";
import { plain, safeUrl } from "./text";
import { defineTemplate, formatDate, isoDate, quoted, signature, text, url } from "./template-kit";

/**
 * E-mail templates of the buyer's RFQ use cases (services/src/rfq/buyer). Spread into
 * EMAIL_TEMPLATES (templates.ts). They go to sellers: an invitation to quote, a cancellation, an
 * answer to a question. None carries anything of any offer.
 */

const rfqParams = z.object({
  /** The seller member's name. */
  name: text,
  /** The buyer organisation. */
  buyerName: text,
  rfqTitle: text,
  /** "RFQ-000123". */
  rfqReference: text,
  /** The RFQ's page in the seller app. */
  rfqUrl: url,
});

const longText = z.string().trim().min(1).max(4_000);

export const RFQ_BUYER_TEMPLATES = {
  "rfq.invited": defineTemplate({
    params: rfqParams.extend({ deadline: isoDate }),
    render: {
      en: (p) => ({
        subject: `${plain(p.buyerName, 80)} invites you to quote: ${plain(p.rfqTitle, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} invited your company to answer a request for quotes on Souk: ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          `Offers are accepted until ${formatDate("en", p.deadline)}.`,
          "",
          "Read the request and make your offer:",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.buyerName, 80)} vous invite à répondre : ${plain(p.rfqTitle, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} invite votre entreprise à répondre à un appel d'offres sur Souk : ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          `Les offres sont acceptées jusqu'au ${formatDate("fr", p.deadline)}.`,
          "",
          "Lire l'appel d'offres et faire votre offre :",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "rfq.cancelled": defineTemplate({
    params: rfqParams.extend({ reason: z.string().trim().min(1).max(2_000) }),
    render: {
      en: (p) => ({
        subject: `Request for quotes cancelled: ${plain(p.rfqTitle, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} cancelled its request for quotes ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}). No offer will be awarded.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Appel d'offres annulé : ${plain(p.rfqTitle, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a annulé son appel d'offres ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}). Aucune offre ne sera retenue.`,
          "",
          "Motif indiqué :",
          quoted(p.reason),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "rfq.answered": defineTemplate({
    params: rfqParams.extend({ question: longText, answer: longText, visibility: z.enum(["private", "public"]) }),
    render: {
      en: (p) => ({
        subject: `${p.visibility === "public" ? "New answer" : "Your question was answered"}: ${plain(p.rfqTitle, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          p.visibility === "public"
            ? `${plain(p.buyerName)} answered a question about ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}), for every seller taking part.`
            : `${plain(p.buyerName)} answered your question about ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          "Question:",
          quoted(p.question),
          "",
          "Answer:",
          quoted(p.answer),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${p.visibility === "public" ? "Nouvelle réponse" : "Réponse à votre question"} : ${plain(p.rfqTitle, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          p.visibility === "public"
            ? `${plain(p.buyerName)} a répondu à une question sur ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}), pour tous les vendeurs participants.`
            : `${plain(p.buyerName)} a répondu à votre question sur ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          "Question :",
          quoted(p.question),
          "",
          "Réponse :",
          quoted(p.answer),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // To a shortlisted seller's owners and sales: the buyer opened a best-and-final round. The
  // sellers off the shortlist are told nothing; no competitor is named, no price or count given.
  "rfq.final_round_invited": defineTemplate({
    params: rfqParams.extend({ deadline: isoDate }),
    render: {
      en: (p) => ({
        subject: `Best and final offer requested: ${plain(p.rfqTitle, 80)} (${plain(p.rfqReference, 40)})`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} shortlisted your company for a best-and-final round on its request for quotes ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          `You may revise your offer until ${formatDate("en", p.deadline)}. Your current offer stands if you do not change it; it cannot be withdrawn during the round. The same sealing rules as the first round apply.`,
          "",
          "Review and revise your offer:",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Offre finale demandée : ${plain(p.rfqTitle, 80)} (${plain(p.rfqReference, 40)})`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a retenu votre entreprise pour un dernier tour (meilleure offre finale) de son appel d'offres ${plain(p.rfqTitle)} (${plain(p.rfqReference, 40)}).`,
          "",
          `Vous pouvez réviser votre offre jusqu'au ${formatDate("fr", p.deadline)}. Votre offre actuelle reste valable si vous ne la modifiez pas ; elle ne peut pas être retirée pendant ce tour. Les règles de confidentialité du premier tour s'appliquent.`,
          "",
          "Consulter et réviser votre offre :",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;
