import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, decisionMessage, defineTemplate, quoted, signature, text, url } from "./template-kit";

/**
 * E-mail templates of the order lifecycle (services/src/orders): each move tells the other side of
 * the order; a dispute also tells the operators. Spread into EMAIL_TEMPLATES (templates.ts).
 */

/** What every order e-mail carries: the reader, the order, the other party and the order's page in the reader's app. */
const orderParams = z.object({
  name: text,
  orderReference: text,
  /** The other side of the order: the seller for the buyer, the buyer for the seller. */
  counterpartyName: text,
  orderUrl: url,
});

const lines = (...parts: (string | false | null | undefined | readonly string[])[]) =>
  parts
    .flatMap((p) => (p === false || p === null || p === undefined ? [] : typeof p === "string" ? [p] : p))
    .join("\n");

const RESOLUTION_EN = { release: "the payment is released to the seller", partial_refund: "a partial refund", full_refund: "a full refund" } as const;
const RESOLUTION_FR = { release: "le paiement est versé au vendeur", partial_refund: "un remboursement partiel", full_refund: "un remboursement total" } as const;

export const ORDER_TEMPLATES = {
  "order.accepted": defineTemplate({
    params: orderParams,
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} accepted by ${plain(p.counterpartyName, 80)}`,
        text: lines(`Hello ${plain(p.name)},`, "", `${plain(p.counterpartyName)} accepted order ${plain(p.orderReference)} and is preparing it.`, "", safeUrl(p.orderUrl), "", signature.en),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} acceptée par ${plain(p.counterpartyName, 80)}`,
        text: lines(`Bonjour ${plain(p.name)},`, "", `${plain(p.counterpartyName)} a accepté la commande ${plain(p.orderReference)} et la prépare.`, "", safeUrl(p.orderUrl), "", signature.fr),
      }),
    },
  }),
  "order.rejected": defineTemplate({
    params: orderParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} rejected by ${plain(p.counterpartyName, 80)}`,
        text: lines(`Hello ${plain(p.name)},`, "", `${plain(p.counterpartyName)} rejected order ${plain(p.orderReference)}. Nothing will be delivered or charged for it.`, "", "Reason given:", quoted(p.reason), "", safeUrl(p.orderUrl), "", signature.en),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} refusée par ${plain(p.counterpartyName, 80)}`,
        text: lines(`Bonjour ${plain(p.name)},`, "", `${plain(p.counterpartyName)} a refusé la commande ${plain(p.orderReference)}. Rien ne sera livré ni facturé pour elle.`, "", "Motif indiqué :", quoted(p.reason), "", safeUrl(p.orderUrl), "", signature.fr),
      }),
    },
  }),
  "order.shipped": defineTemplate({
    params: orderParams.extend({ carrier: text, trackingReference: text }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} has shipped`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} shipped order ${plain(p.orderReference)} with ${plain(p.carrier)}, tracking reference ${plain(p.trackingReference)}.`,
          "Once the goods arrive, confirm the delivery on the order's page (it is confirmed automatically after some days otherwise).",
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `La commande ${plain(p.orderReference)} est expédiée`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} a expédié la commande ${plain(p.orderReference)} avec ${plain(p.carrier)}, référence de suivi ${plain(p.trackingReference)}.`,
          "À réception, confirmez la livraison sur la page de la commande (sinon, elle est confirmée automatiquement au bout de quelques jours).",
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  "order.delivered": defineTemplate({
    params: orderParams.extend({ confirmedBy: z.enum(["buyer", "auto"]) }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} delivered`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          p.confirmedBy === "buyer"
            ? `${plain(p.counterpartyName)} confirmed the delivery of order ${plain(p.orderReference)}.`
            : `The delivery of order ${plain(p.orderReference)} was confirmed automatically: ${plain(p.counterpartyName)} did not confirm it in time.`,
          "The order is now settled with you, unless the buyer opens a dispute.",
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} livrée`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          p.confirmedBy === "buyer"
            ? `${plain(p.counterpartyName)} a confirmé la livraison de la commande ${plain(p.orderReference)}.`
            : `La livraison de la commande ${plain(p.orderReference)} a été confirmée automatiquement : ${plain(p.counterpartyName)} ne l'a pas confirmée à temps.`,
          "La commande va maintenant vous être réglée, sauf si l'acheteur ouvre un litige.",
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  // To the buyer when its delivery is confirmed automatically: it may still open a dispute.
  "order.auto_confirmed": defineTemplate({
    params: orderParams.extend({ disputeDays: z.string().regex(/^\d{1,3}$/) }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)}: delivery confirmed automatically`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `Order ${plain(p.orderReference)} from ${plain(p.counterpartyName)} was shipped a while ago and nobody confirmed its delivery, so it is now confirmed automatically.`,
          `If something is wrong with it, open a dispute on the order's page within ${p.disputeDays} days.`,
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} : livraison confirmée automatiquement`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `La commande ${plain(p.orderReference)} de ${plain(p.counterpartyName)} a été expédiée il y a quelque temps et personne n'a confirmé sa livraison : elle est donc confirmée automatiquement.`,
          `En cas de problème, ouvrez un litige sur la page de la commande dans les ${p.disputeDays} jours.`,
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  "order.cancelled": defineTemplate({
    params: orderParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Order ${plain(p.orderReference)} cancelled`,
        text: lines(`Hello ${plain(p.name)},`, "", `Order ${plain(p.orderReference)} with ${plain(p.counterpartyName)} is cancelled. Nothing will be delivered or charged for it.`, "", "Reason given:", quoted(p.reason), "", safeUrl(p.orderUrl), "", signature.en),
      }),
      fr: (p) => ({
        subject: `Commande ${plain(p.orderReference)} annulée`,
        text: lines(`Bonjour ${plain(p.name)},`, "", `La commande ${plain(p.orderReference)} avec ${plain(p.counterpartyName)} est annulée. Rien ne sera livré ni facturé pour elle.`, "", "Motif indiqué :", quoted(p.reason), "", safeUrl(p.orderUrl), "", signature.fr),
      }),
    },
  }),
  "order.cancellation_requested": defineTemplate({
    params: orderParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `${plain(p.counterpartyName, 80)} asks to cancel order ${plain(p.orderReference)}`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} asks to cancel order ${plain(p.orderReference)}. The order is cancelled only if you agree.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          "Agree or decline on the order's page:",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `${plain(p.counterpartyName, 80)} demande l'annulation de la commande ${plain(p.orderReference)}`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} demande l'annulation de la commande ${plain(p.orderReference)}. La commande n'est annulée que si vous l'acceptez.`,
          "",
          "Motif indiqué :",
          quoted(p.reason),
          "",
          "Acceptez ou refusez sur la page de la commande :",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  "order.cancellation_declined": defineTemplate({
    params: orderParams.extend({ note: decisionMessage.optional() }),
    render: {
      en: (p) => ({
        subject: `Cancellation of order ${plain(p.orderReference)} declined`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} declined your request to cancel order ${plain(p.orderReference)}: the order goes on.`,
          p.note ? ["", "Their note:", quoted(p.note)] : [],
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Annulation de la commande ${plain(p.orderReference)} refusée`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} a refusé votre demande d'annulation de la commande ${plain(p.orderReference)} : la commande continue.`,
          p.note ? ["", "Sa note :", quoted(p.note)] : [],
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  "order.dispute_opened": defineTemplate({
    params: orderParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Dispute opened on order ${plain(p.orderReference)}`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} opened a dispute on order ${plain(p.orderReference)}. Its payment is on hold until the Souk team resolves the dispute.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Litige ouvert sur la commande ${plain(p.orderReference)}`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.counterpartyName)} a ouvert un litige sur la commande ${plain(p.orderReference)}. Son paiement est suspendu jusqu'à ce que l'équipe Souk tranche le litige.`,
          "",
          "Motif indiqué :",
          quoted(p.reason),
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  "order.dispute_resolved": defineTemplate({
    params: orderParams.extend({ resolution: z.enum(["release", "partial_refund", "full_refund"]), refundMinor: amountMinor, currency, note: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Dispute on order ${plain(p.orderReference)} resolved`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team resolved the dispute on order ${plain(p.orderReference)} with ${plain(p.counterpartyName)}: ${RESOLUTION_EN[p.resolution]}${p.resolution === "release" ? "" : ` of ${amount("en", p.refundMinor, p.currency)} to the buyer`}.`,
          "",
          "Note from the Souk team:",
          quoted(p.note),
          "",
          safeUrl(p.orderUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Litige sur la commande ${plain(p.orderReference)} tranché`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a tranché le litige sur la commande ${plain(p.orderReference)} avec ${plain(p.counterpartyName)} : ${RESOLUTION_FR[p.resolution]}${p.resolution === "release" ? "" : ` de ${amount("fr", p.refundMinor, p.currency)} à l'acheteur`}.`,
          "",
          "Note de l'équipe Souk :",
          quoted(p.note),
          "",
          safeUrl(p.orderUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
  // To the operators who resolve disputes.
  "dispute.opened": defineTemplate({
    params: z.object({ name: text, orderReference: text, buyerName: text, sellerName: text, amountMinor, currency, reason: decisionMessage, disputeUrl: url }),
    render: {
      en: (p) => ({
        subject: `New dispute: order ${plain(p.orderReference)}`,
        text: lines(
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} opened a dispute on order ${plain(p.orderReference)} (${amount("en", p.amountMinor, p.currency)}) from ${plain(p.sellerName)}. Its settlement is frozen until you resolve it.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          safeUrl(p.disputeUrl),
          "",
          signature.en,
        ),
      }),
      fr: (p) => ({
        subject: `Nouveau litige : commande ${plain(p.orderReference)}`,
        text: lines(
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.buyerName)} a ouvert un litige sur la commande ${plain(p.orderReference)} (${amount("fr", p.amountMinor, p.currency)}) de ${plain(p.sellerName)}. Son règlement est gelé jusqu'à votre décision.`,
          "",
          "Motif indiqué :",
          quoted(p.reason),
          "",
          safeUrl(p.disputeUrl),
          "",
          signature.fr,
        ),
      }),
    },
  }),
} as const;
