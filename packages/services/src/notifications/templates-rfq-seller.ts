import { z } from "zod";
import { plain, safeUrl } from "./text";
import { defineTemplate, quoted, signature, text, url } from "./template-kit";

/**
 * E-mail templates of the seller's RFQ use cases and closing (services/src/rfq/seller). Spread into
 * EMAIL_TEMPLATES (templates.ts).
 *
 * What they may say is bounded by the sealing rule: before a sealed RFQ closes, no e-mail names a
 * seller or tells a price. The buyer learns the count of offers only at closing, and an offer
 * withdrawn because its seller was suspended is named only on an open (not sealed) RFQ.
 */

const rfqParams = z.object({
  /** The member told. */
  name: text,
  /** "RFQ-000123". */
  rfqNumber: text,
  rfqTitle: text,
  /** The RFQ's page in the app of the member told. */
  rfqUrl: url,
});

/** A SHA-256 in hex, the head of the receipts chain. */
const hash = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.string().regex(/^\d{1,9}$/);

export const RFQ_SELLER_TEMPLATES = {
  // To the buyer's admins and purchasers: a seller asked a question (who asked is not said: the
  // answer page shows it to the buyer, an e-mail does not need to).
  "rfq.question_asked": defineTemplate({
    params: rfqParams.extend({ question: z.string().trim().min(1).max(2_000) }),
    render: {
      en: (p) => ({
        subject: `New question on ${plain(p.rfqNumber, 20)}: ${plain(p.rfqTitle, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `A seller asked a question about your request for quotes ${plain(p.rfqNumber)} "${plain(p.rfqTitle)}":`,
          "",
          quoted(p.question),
          "",
          "Answer it privately or to every participant:",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Nouvelle question sur ${plain(p.rfqNumber, 20)} : ${plain(p.rfqTitle, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `Un vendeur a posé une question sur votre appel d'offres ${plain(p.rfqNumber)} « ${plain(p.rfqTitle)} » :`,
          "",
          quoted(p.question),
          "",
          "Répondez-y en privé ou à tous les participants :",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // To the buyer's admins and purchasers at the deadline.
  "rfq.closed.buyer": defineTemplate({
    params: rfqParams.extend({ offerCount: count, chainHead: hash.optional() }),
    render: {
      en: (p) => ({
        subject: `${plain(p.rfqNumber, 20)} closed: ${p.offerCount === "1" ? "1 offer" : `${p.offerCount} offers`} received`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `Your request for quotes ${plain(p.rfqNumber)} "${plain(p.rfqTitle)}" reached its deadline and is closed.`,
          p.offerCount === "0" ? "No offer was received." : `Offers received: ${p.offerCount}. Compare them and award:`,
          safeUrl(p.rfqUrl),
          ...(p.chainHead ? ["", "Head of the offer receipts chain, verified at closing:", p.chainHead] : []),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.rfqNumber, 20)} clos : ${p.offerCount === "0" || p.offerCount === "1" ? `${p.offerCount} offre reçue` : `${p.offerCount} offres reçues`}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `Votre appel d'offres ${plain(p.rfqNumber)} « ${plain(p.rfqTitle)} » a atteint sa date limite et est clos.`,
          p.offerCount === "0" ? "Aucune offre n'a été reçue." : `Offres reçues : ${p.offerCount}. Comparez-les et attribuez :`,
          safeUrl(p.rfqUrl),
          ...(p.chainHead ? ["", "Tête de la chaîne des reçus d'offres, vérifiée à la clôture :", p.chainHead] : []),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // To the owners and sales members of every seller that made an offer (even withdrawn: it holds receipts).
  "rfq.closed.seller": defineTemplate({
    params: rfqParams.extend({ offerFinal: z.enum(["yes", "no"]), chainHead: hash.optional() }),
    render: {
      en: (p) => ({
        subject: `${plain(p.rfqNumber, 20)} closed: ${plain(p.rfqTitle, 80)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The request for quotes ${plain(p.rfqNumber)} "${plain(p.rfqTitle)}" reached its deadline and is closed.`,
          p.offerFinal === "yes" ? "Your offer is final: the buyer now compares the offers and will award." : "You had withdrawn your offer: it takes no part in the award.",
          ...(p.chainHead
            ? ["", "Head of the offer receipts chain, verified at closing (compare it with your downloaded receipts):", p.chainHead]
            : []),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.rfqNumber, 20)} clos : ${plain(p.rfqTitle, 80)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'appel d'offres ${plain(p.rfqNumber)} « ${plain(p.rfqTitle)} » a atteint sa date limite et est clos.`,
          p.offerFinal === "yes" ? "Votre offre est définitive : l'acheteur compare maintenant les offres et va attribuer." : "Vous aviez retiré votre offre : elle ne participe pas à l'attribution.",
          ...(p.chainHead
            ? ["", "Tête de la chaîne des reçus d'offres, vérifiée à la clôture (comparez-la avec vos reçus téléchargés) :", p.chainHead]
            : []),
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  // To the buyer's admins and purchasers: the suspension consumer withdrew an offer. `sellerName`
  // only for an open (not sealed) RFQ, whose buyer already sees the offers.
  "rfq.offer_withdrawn.suspended": defineTemplate({
    params: rfqParams.extend({ sellerName: text.optional() }),
    render: {
      en: (p) => ({
        subject: `An offer on ${plain(p.rfqNumber, 20)} was withdrawn`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          p.sellerName
            ? `The offer of ${plain(p.sellerName)} on your request for quotes ${plain(p.rfqNumber)} "${plain(p.rfqTitle)}" was withdrawn: Souk suspended this seller.`
            : `An offer on your request for quotes ${plain(p.rfqNumber)} "${plain(p.rfqTitle)}" was withdrawn: Souk suspended its seller. The RFQ is sealed, so nothing else about the offer is shown before the deadline.`,
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Une offre sur ${plain(p.rfqNumber, 20)} a été retirée`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          p.sellerName
            ? `L'offre de ${plain(p.sellerName)} sur votre appel d'offres ${plain(p.rfqNumber)} « ${plain(p.rfqTitle)} » a été retirée : Souk a suspendu ce vendeur.`
            : `Une offre sur votre appel d'offres ${plain(p.rfqNumber)} « ${plain(p.rfqTitle)} » a été retirée : Souk a suspendu son vendeur. L'appel d'offres est sous pli scellé : rien d'autre de l'offre n'est montré avant la date limite.`,
          "",
          safeUrl(p.rfqUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;
