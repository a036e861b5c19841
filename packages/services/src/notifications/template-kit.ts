/** The building blocks of e-mail templates, shared by every area's template file. */
import { z } from "zod";
import { format, isCurrency, money } from "@souk/domain";
import { plain } from "./text";

export type EmailLocale = "en" | "fr";

export interface RenderedEmail {
  subject: string;
  text: string;
}

export interface TemplateDefinition<S extends z.ZodType> {
  params: S;
  /**
   * Params that grant something to whoever reads them (one-time links). The e-mail carries them;
   * every copy kept afterwards (notifications history, logs, the outbox payload once sent) holds
   * them redacted (see redactSecret).
   */
  secretParams?: readonly string[];
  render: { [L in EmailLocale]: (params: z.output<S>) => RenderedEmail };
}

export function defineTemplate<S extends z.ZodType>(
  definition: TemplateDefinition<S> & { secretParams?: readonly (keyof z.input<S> & string)[] },
): TemplateDefinition<S> {
  return definition;
}

export const text = z.string().trim().min(1).max(1_000);
export const url = z.url({ protocol: /^https?$/ }).max(2_000);
export const isoDate = z.iso.datetime({ offset: true });

/** An amount in minor units, as text (e-mail params are strings): "123450". */
export const amountMinor = z.string().regex(/^\d{1,19}$/);
/** An ISO 4217 code the domain knows. */
export const currency = z.string().refine(isCurrency);

/** An amount in the reader's language ("€1,234.50" / "1 234,50 €"), exact (minor units as text). */
export const amount = (locale: EmailLocale, minor: string, code: string) => (isCurrency(code) ? format(money(BigInt(minor), code), locale) : `${minor} ${plain(code, 3)}`);

export const formatDate = (locale: EmailLocale, iso: string) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(iso),
  ) + " UTC";

export const signature = { en: "— Souk", fr: "— Souk" } as const;

/** An operator's reason or question: several lines allowed, each one made plain. */
export const decisionMessage = z.string().trim().min(1).max(2_000);

/** A multi-line message, quoted: each line made safe (see plain), blank runs collapsed. */
export function quoted(value: string): string {
  const lines = value.split(/\r\n|\r|\n/).map((line) => plain(line, 500));
  return lines
    .filter((line, i) => line !== "" || (i > 0 && lines[i - 1] !== ""))
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n")
    .replace(/\n>$/, "");
}
