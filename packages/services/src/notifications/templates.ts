import { z } from "zod";
import { validationError, type ROLES } from "@souk/domain";
import { plain, redactSecret, safeUrl } from "./text";
import { decisionMessage, defineTemplate, formatDate, isoDate, quoted, signature, text, url, type EmailLocale, type RenderedEmail, type TemplateDefinition } from "./template-kit";
import { RFQ_BUYER_TEMPLATES } from "./templates-rfq-buyer";
import { RFQ_SELLER_TEMPLATES } from "./templates-rfq-seller";
import { AWARD_TEMPLATES } from "./templates-award";
import { PURCHASING_TEMPLATES } from "./templates-purchasing";
import { MONEY_TEMPLATES } from "./templates-money";
import { ORDER_TEMPLATES } from "./templates-orders";
import { NEGOTIATION_TEMPLATES } from "./templates-negotiation";
import { CONVERSATION_TEMPLATES } from "./templates-conversations";
import { BUDGET_TEMPLATES } from "./templates-budgets";

export type { EmailLocale, RenderedEmail } from "./template-kit";

const ROLE_LABELS: Record<EmailLocale, Record<string, string>> = {
  en: {
    admin: "administrator",
    purchaser: "purchaser",
    approver: "approver",
    viewer: "viewer",
    owner: "owner",
    sales: "sales",
    fulfilment: "fulfilment",
    moderator: "moderator",
    finance: "finance",
  },
  fr: {
    admin: "administrateur",
    purchaser: "acheteur",
    approver: "approbateur",
    viewer: "lecteur",
    owner: "propriétaire",
    sales: "ventes",
    fulfilment: "préparation des commandes",
    moderator: "modérateur",
    finance: "finance",
  },
} satisfies Record<EmailLocale, Record<(typeof ROLES)[keyof typeof ROLES][number], string>>;

const roleLabel = (locale: EmailLocale, role: string) => ROLE_LABELS[locale][role] ?? plain(role, 50);


// --- Seller decisions (operator review): helpers ---------------------------------------------


const sellerDecisionParams = z.object({
  name: text,
  organizationName: text,
  /** The seller's application page in the seller app. */
  applicationUrl: url,
});

// --- Listing moderation (operator): helpers ---------------------------------------------------

const listingModerationParams = z.object({
  name: text,
  organizationName: text,
  listingTitle: text,
  sku: text,
  /** The listing's page in the seller app. */
  listingUrl: url,
});

/**
 * E-mail templates by name, each with its parameter schema and one rendering per locale.
 * Parameters are untrusted (names typed by users): every one goes through `plain` or `safeUrl`.
 * A new notification adds one entry here.
 */
export const EMAIL_TEMPLATES = {
  ...RFQ_BUYER_TEMPLATES,
  ...RFQ_SELLER_TEMPLATES,
  ...AWARD_TEMPLATES,
  ...PURCHASING_TEMPLATES,
  ...MONEY_TEMPLATES,
  ...ORDER_TEMPLATES,
  ...CONVERSATION_TEMPLATES,
  ...NEGOTIATION_TEMPLATES,
  ...BUDGET_TEMPLATES,
  "member.invited": defineTemplate({
    params: z.object({
      organizationName: text,
      inviterName: text,
      role: text,
      acceptUrl: url,
      expiresAt: isoDate.optional(),
    }),
    // The token in the link is the invitation: the database keeps only its hash.
    secretParams: ["acceptUrl"],
    render: {
      en: (p) => ({
        subject: `${plain(p.inviterName, 80)} invited you to join ${plain(p.organizationName, 80)} on Souk`,
        text: [
          "Hello,",
          "",
          `${plain(p.inviterName)} invited you to join ${plain(p.organizationName)} on Souk as ${roleLabel("en", p.role)}.`,
          "",
          "Accept the invitation:",
          safeUrl(p.acceptUrl),
          "",
          p.expiresAt ? `This link expires on ${formatDate("en", p.expiresAt)}.` : "This link expires in 7 days.",
          "If you were not expecting this invitation, you can ignore this e-mail.",
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.inviterName, 80)} vous invite à rejoindre ${plain(p.organizationName, 80)} sur Souk`,
        text: [
          "Bonjour,",
          "",
          `${plain(p.inviterName)} vous invite à rejoindre ${plain(p.organizationName)} sur Souk en tant que ${roleLabel("fr", p.role)}.`,
          "",
          "Accepter l'invitation :",
          safeUrl(p.acceptUrl),
          "",
          p.expiresAt ? `Ce lien expire le ${formatDate("fr", p.expiresAt)}.` : "Ce lien expire dans 7 jours.",
          "Si vous n'attendiez pas cette invitation, vous pouvez ignorer ce message.",
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "auth.password_changed": defineTemplate({
    params: z.object({
      name: text,
      changedAt: isoDate.optional(),
    }),
    render: {
      en: (p) => ({
        subject: "Your Souk password was changed",
        text: [
          `Hello ${plain(p.name)},`,
          "",
          p.changedAt
            ? `The password of your Souk account was changed on ${formatDate("en", p.changedAt)}.`
            : "The password of your Souk account was just changed.",
          "Your other sessions were signed out.",
          "",
          "If you did not do this, reset your password now and contact your organisation's administrator.",
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: "Votre mot de passe Souk a été modifié",
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          p.changedAt
            ? `Le mot de passe de votre compte Souk a été modifié le ${formatDate("fr", p.changedAt)}.`
            : "Le mot de passe de votre compte Souk vient d'être modifié.",
          "Vos autres sessions ont été fermées.",
          "",
          "Si vous n'êtes pas à l'origine de ce changement, réinitialisez votre mot de passe et contactez l'administrateur de votre organisation.",
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "seller.decision.approve": defineTemplate({
    params: sellerDecisionParams.extend({ message: decisionMessage.optional() }),
    render: {
      en: (p) => ({
        subject: `${plain(p.organizationName, 80)} is approved to sell on Souk`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `Good news: the Souk team approved ${plain(p.organizationName)}. You can now publish listings and answer requests for quotes from buyers.`,
          ...(p.message ? ["", "Note from the Souk team:", quoted(p.message)] : []),
          "",
          "Open your seller space:",
          safeUrl(p.applicationUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.organizationName, 80)} est autorisé à vendre sur Souk`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `Bonne nouvelle : l'équipe Souk a approuvé ${plain(p.organizationName)}. Vous pouvez désormais publier des offres et répondre aux appels d'offres des acheteurs.`,
          ...(p.message ? ["", "Note de l'équipe Souk :", quoted(p.message)] : []),
          "",
          "Ouvrir votre espace vendeur :",
          safeUrl(p.applicationUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "seller.decision.reject": defineTemplate({
    params: sellerDecisionParams.extend({ message: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Your application to sell on Souk was not approved`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team reviewed the application of ${plain(p.organizationName)} and did not approve it.`,
          "",
          "Reason given:",
          quoted(p.message),
          "",
          "Your application:",
          safeUrl(p.applicationUrl),
          "",
          "If you have questions about this decision, contact Souk support.",
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Votre demande pour vendre sur Souk n'a pas été acceptée`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a examiné la demande de ${plain(p.organizationName)} et ne l'a pas acceptée.`,
          "",
          "Motif :",
          quoted(p.message),
          "",
          "Votre demande :",
          safeUrl(p.applicationUrl),
          "",
          "Pour toute question sur cette décision, contactez le support Souk.",
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "seller.decision.request_info": defineTemplate({
    params: sellerDecisionParams.extend({ message: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `More information needed for your Souk application`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team needs more information to review the application of ${plain(p.organizationName)}:`,
          "",
          quoted(p.message),
          "",
          "Answer the question and resubmit your application here:",
          safeUrl(p.applicationUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Informations complémentaires demandées pour votre demande Souk`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a besoin d'informations complémentaires pour examiner la demande de ${plain(p.organizationName)} :`,
          "",
          quoted(p.message),
          "",
          "Répondez à la question et renvoyez votre demande ici :",
          safeUrl(p.applicationUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "seller.decision.suspend": defineTemplate({
    params: sellerDecisionParams.extend({ message: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `${plain(p.organizationName, 80)} is suspended on Souk`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team suspended ${plain(p.organizationName)}. While it is suspended, your listings are hidden from buyers, your open offers are withdrawn and your payouts are on hold.`,
          "",
          "Reason given:",
          quoted(p.message),
          "",
          "Your seller space:",
          safeUrl(p.applicationUrl),
          "",
          "Contact Souk support to discuss the suspension.",
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.organizationName, 80)} est suspendu sur Souk`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a suspendu ${plain(p.organizationName)}. Pendant la suspension, vos offres catalogue sont masquées aux acheteurs, vos réponses aux appels d'offres en cours sont retirées et vos versements sont bloqués.`,
          "",
          "Motif :",
          quoted(p.message),
          "",
          "Votre espace vendeur :",
          safeUrl(p.applicationUrl),
          "",
          "Contactez le support Souk pour en discuter.",
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "seller.decision.reinstate": defineTemplate({
    params: sellerDecisionParams.extend({ message: decisionMessage.optional() }),
    render: {
      en: (p) => ({
        subject: `${plain(p.organizationName, 80)} is active again on Souk`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team lifted the suspension of ${plain(p.organizationName)}. Your published listings are visible to buyers again and your payouts resume. Offers withdrawn during the suspension stay withdrawn: answer the open requests for quotes again if you wish.`,
          ...(p.message ? ["", "Note from the Souk team:", quoted(p.message)] : []),
          "",
          "Your seller space:",
          safeUrl(p.applicationUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `${plain(p.organizationName, 80)} est de nouveau actif sur Souk`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a levé la suspension de ${plain(p.organizationName)}. Vos offres catalogue publiées sont de nouveau visibles des acheteurs et vos versements reprennent. Les réponses retirées pendant la suspension le restent : répondez de nouveau aux appels d'offres ouverts si vous le souhaitez.`,
          ...(p.message ? ["", "Note de l'équipe Souk :", quoted(p.message)] : []),
          "",
          "Votre espace vendeur :",
          safeUrl(p.applicationUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "listing.blocked": defineTemplate({
    params: listingModerationParams.extend({ reason: decisionMessage }),
    render: {
      en: (p) => ({
        subject: `Your listing "${plain(p.listingTitle, 80)}" was blocked on Souk`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team blocked the listing "${plain(p.listingTitle)}" (SKU ${plain(p.sku, 64)}) of ${plain(p.organizationName)}. Buyers can no longer find, open or order it.`,
          "",
          "Reason given:",
          quoted(p.reason),
          "",
          "You can still edit the listing. Once you have fixed it, contact Souk support to have it reviewed again.",
          "",
          "Your listing:",
          safeUrl(p.listingUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Votre offre « ${plain(p.listingTitle, 80)} » a été bloquée sur Souk`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a bloqué l'offre « ${plain(p.listingTitle)} » (référence ${plain(p.sku, 64)}) de ${plain(p.organizationName)}. Les acheteurs ne peuvent plus la trouver, l'ouvrir ni la commander.`,
          "",
          "Motif :",
          quoted(p.reason),
          "",
          "Vous pouvez toujours modifier l'offre. Une fois le problème corrigé, contactez le support Souk pour qu'elle soit réexaminée.",
          "",
          "Votre offre :",
          safeUrl(p.listingUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  "listing.unblocked": defineTemplate({
    params: listingModerationParams.extend({ message: decisionMessage.optional() }),
    render: {
      en: (p) => ({
        subject: `Your listing "${plain(p.listingTitle, 80)}" is no longer blocked`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `The Souk team lifted the block on the listing "${plain(p.listingTitle)}" (SKU ${plain(p.sku, 64)}) of ${plain(p.organizationName)}. It is now unlisted: buyers will see it again once you publish it.`,
          ...(p.message ? ["", "Note from the Souk team:", quoted(p.message)] : []),
          "",
          "Review and publish your listing:",
          safeUrl(p.listingUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Votre offre « ${plain(p.listingTitle, 80)} » n'est plus bloquée`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `L'équipe Souk a levé le blocage de l'offre « ${plain(p.listingTitle)} » (référence ${plain(p.sku, 64)}) de ${plain(p.organizationName)}. Elle est maintenant retirée de la vente : les acheteurs la verront de nouveau dès que vous la publierez.`,
          ...(p.message ? ["", "Note de l'équipe Souk :", quoted(p.message)] : []),
          "",
          "Vérifiez et publiez votre offre :",
          safeUrl(p.listingUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
} as const;

export type EmailTemplateName = keyof typeof EMAIL_TEMPLATES;
/** What a producer puts in `params` for a template (all strings: the outbox payload is JSON). */
export type EmailTemplateParams<T extends EmailTemplateName> = z.input<(typeof EMAIL_TEMPLATES)[T]["params"]>;

export function isEmailTemplateName(name: string): name is EmailTemplateName {
  return Object.prototype.hasOwnProperty.call(EMAIL_TEMPLATES, name);
}

function definitionOf(template: string): TemplateDefinition<z.ZodType> {
  if (!isEmailTemplateName(template)) throw validationError({ template: ["template.unknown"] }, `Unknown e-mail template ${template}`);
  return EMAIL_TEMPLATES[template];
}

/**
 * Renders a template. An unknown template or parameters its schema refuses are a VALIDATION
 * DomainError: the job can never succeed, so the worker does not retry it.
 * `redactSecrets` renders the copy that may be stored or logged: the template's secret params are
 * replaced after validation, so the schema judges the real values and the template never sees them.
 */
export function renderEmail(template: string, locale: EmailLocale, params: unknown, options: { redactSecrets?: boolean } = {}): RenderedEmail {
  const definition = definitionOf(template);
  const parsed = definition.params.safeParse(params);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [`params.${issue.path.join(".")}`, ["param.invalid"]]));
    throw validationError(fields, `Invalid parameters for e-mail template ${template}`);
  }
  let data: unknown = parsed.data;
  if (options.redactSecrets && typeof data === "object" && data !== null) {
    const values = data as Record<string, unknown>;
    data = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, typeof value === "string" && isSecret(definition, key) ? redactSecret(value) : value]),
    );
  }
  return definition.render[locale](data);
}

function isSecret(definition: TemplateDefinition<z.ZodType>, param: string): boolean {
  return definition.secretParams?.includes(param) ?? false;
}

/**
 * The redacted value of each secret param present in `params`: what replaces them in the outbox
 * payload once the e-mail is sent. Empty for a template without secrets.
 */
export function redactedSecretParams(template: string, params: Record<string, string>): Record<string, string> {
  const definition = definitionOf(template);
  return Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => isSecret(definition, key))
      .map(([key, value]) => [key, redactSecret(value)]),
  );
}
