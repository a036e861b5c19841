import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, decisionMessage, defineTemplate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of settlement and payouts (services/src/money). Spread into EMAIL_TEMPLATES (templates.ts). */

const payoutParams = z.object({ name: text, payoutReference: text, amountMinor, currency, payoutsUrl: url });

export const MONEY_TEMPLATES = {
  // To the seller's owners when an order settles: what the buyer paid, what the marketplace kept.
  "order.settled": defineTemplate({
    params: z.object({ name: text, orderReference: text, grossMinor: amountMinor, commissionMinor: amountMinor, netMinor: amountMinor, currency, orderUrl: url.optional() }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} is settled: ${amount("en", p.netMinor, p.currency)} for you`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `Order ${plain(p.orderReference)} is settled.`,
          `Order total: ${amount("en", p.grossMinor, p.currency)}`,
          `Commission: ${amount("en", p.commissionMinor, p.currency)}`,
          `Net to you: ${amount("en", p.netMinor, p.currency)}`,
          "",
          "The net amount joins your balance and goes out with your next payout.",
          ...(p.orderUrl ? ["", safeUrl(p.orderUrl)] : []),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} réglée : ${amount("fr", p.netMinor, p.currency)} pour vous`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `La commande ${plain(p.orderReference)} est réglée.`,
          `Total de la commande : ${amount("fr", p.grossMinor, p.currency)}`,
          `Commission : ${amount("fr", p.commissionMinor, p.currency)}`,
          `Net pour vous : ${amount("fr", p.netMinor, p.currency)}`,
          "",
          "Le montant net s'ajoute à votre solde et part avec votre prochain versement.",
          ...(p.orderUrl ? ["", safeUrl(p.orderUrl)] : []),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "payout.paid": defineTemplate({
    params: payoutParams.extend({ providerReference: text }),
    render: {
      en: (p) => ({
        subject: `Payout ${plain(p.payoutReference)} is paid: ${amount("en", p.amountMinor, p.currency)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `Payout ${plain(p.payoutReference)} of ${amount("en", p.amountMinor, p.currency)} has been paid.`,
          `Payment reference: ${plain(p.providerReference)}`,
          "",
          "Its statement lists every order it covers:",
          safeUrl(p.payoutsUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Versement ${plain(p.payoutReference)} payé : ${amount("fr", p.amountMinor, p.currency)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `Le versement ${plain(p.payoutReference)} de ${amount("fr", p.amountMinor, p.currency)} a été payé.`,
          `Référence du paiement : ${plain(p.providerReference)}`,
          "",
          "Son relevé détaille chaque commande qu'il couvre :",
          safeUrl(p.payoutsUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "payout.failed": defineTemplate({
    params: payoutParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Payout ${plain(p.payoutReference)} failed`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `Payout ${plain(p.payoutReference)} of ${amount("en", p.amountMinor, p.currency)} could not be paid.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          "The amount is back in your balance and goes out with your next payout. Check your bank details if the reason concerns them.",
          safeUrl(p.payoutsUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Le versement ${plain(p.payoutReference)} a échoué`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `Le versement ${plain(p.payoutReference)} de ${amount("fr", p.amountMinor, p.currency)} n'a pas pu être payé.`,
          "",
          "Motif indiqué :",
          quoted(p.reason),
          "",
          "Le montant revient à votre solde et part avec votre prochain versement. Vérifiez vos coordonnées bancaires si le motif les concerne.",
          safeUrl(p.payoutsUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;
