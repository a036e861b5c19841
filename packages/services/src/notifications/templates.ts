import { z } from "zod";
import { validationError, type ROLES } from "@souk/domain";
import { plain, redactSecret, safeUrl } from "./text";

export type EmailLocale = "en" | "fr";

export interface RenderedEmail {
  subject: string;
  text: string;
}

interface TemplateDefinition<S extends z.ZodType> {
  params: S;
  /**
   * Params that grant something to whoever reads them (one-time links). The e-mail carries them;
   * every copy kept afterwards (notifications history, logs, the outbox payload once sent) holds
   * them redacted (see redactSecret).
   */
  secretParams?: readonly string[];
  render: { [L in EmailLocale]: (params: z.output<S>) => RenderedEmail };
}

function defineTemplate<S extends z.ZodType>(
  definition: TemplateDefinition<S> & { secretParams?: readonly (keyof z.input<S> & string)[] },
): TemplateDefinition<S> {
  return definition;
}

const text = z.string().trim().min(1).max(1_000);
const url = z.url({ protocol: /^https?$/ }).max(2_000);
const isoDate = z.iso.datetime({ offset: true });

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

const formatDate = (locale: EmailLocale, iso: string) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(iso),
  ) + " UTC";

const signature = { en: "— Souk", fr: "— Souk" } as const;

/**
 * E-mail templates by name, each with its parameter schema and one rendering per locale.
 * Parameters are untrusted (names typed by users): every one goes through `plain` or `safeUrl`.
 * A new notification adds one entry here.
 */
export const EMAIL_TEMPLATES = {
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
