import { Link } from "@remix-run/react";
import { format, isCurrency, money } from "@souk/domain";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey, type Translator } from "../../i18n/i18n";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import type { RfqMoney } from "./views";

/** What each form of the buyer's RFQ pages asks its action to do (its `intent`). */
export const BUYER_RFQ_INTENT = {
  saveDraft: "draft",
  publish: "publish",
  addLine: "add-line",
  searchSellers: "search-sellers",
  cancel: "cancel",
  answer: "answer",
  upload: "upload",
  deleteAttachment: "delete-attachment",
  award: "award",
} as const;

/** The zone a deadline is read in when the page's script has not told the browser's (no JavaScript). */
export const DEFAULT_DEADLINE_ZONE = "Europe/Paris";

/** "€1,234.56" in the page's language; the bare figures for a currency the domain does not know. */
export function useRfqMoney(): (value: RfqMoney) => string {
  const { locale } = useI18n();
  return (value) => (isCurrency(value.currency) ? format(money(BigInt(value.amountMinor), value.currency), locale) : `${value.amountMinor} ${value.currency}`);
}

const STATUS_TONE: Record<string, "neutral" | "success" | "warning" | "danger" | "info"> = {
  draft: "neutral",
  open: "info",
  closed: "warning",
  final_round: "info",
  awarded: "success",
  cancelled: "danger",
};

export function RfqStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `rfq.status.${status}`;
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

export function RfqSealingBadge({ sealing }: { sealing: string }) {
  const { t } = useI18n();
  return <Badge tone={sealing === "sealed" ? "neutral" : "info"}>{sealing === "sealed" ? t("rfq.sealing.sealed") : t("rfq.sealing.open")}</Badge>;
}

/** The failed form among a page's several forms: the action's answer when its `intent` is one of `intents`. */
export function rfqFailureOf(result: unknown, intents: readonly string[]): FormFailure | null {
  return isFormFailure(result) && intents.includes(result.values.intent ?? "") ? result : null;
}

/** A failure's messages as one alert (forms whose fields are not shown one by one). */
export function FailureAlert({ failure }: { failure: FormFailure | null }) {
  if (!failure) return null;
  const messages = [...(failure.formError ? [failure.formError] : []), ...new Set(Object.values(failure.fieldErrors).flat())];
  return messages.length > 0 ? (
    <Alert tone="error">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul className="plain-list">
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </Alert>
  ) : null;
}

export function RfqBackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="back-link">
      <Link to={to}>{children}</Link>
    </p>
  );
}

export function fileSize(bytes: number, { t, locale }: Pick<Translator, "t" | "locale">): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return t("document.sizeKb", { size: number.format(Math.max(1, Math.ceil(bytes / 1024))) });
  return t("document.sizeMb", { size: number.format(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

/** "YYYY-MM-DDTHH:mm" of an instant in an IANA zone: what `<input type="datetime-local">` shows. */
export function localDateTimeIn(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
        .formatToParts(date)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    return "";
  }
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The browser's IANA time zone, or null (old browsers, or on the server). */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** A deadline in the reader's language, with its zone ("12 Mar 2031, 17:00 UTC"). */
export function useDeadlineText(): (iso: string | null) => string {
  const { formatDateTime, t } = useI18n();
  return (iso) => (iso ? formatDateTime(iso) : t("rfqBuyer.deadline.none"));
}

const pointFormats = new Map<string, Intl.NumberFormat>();

/** A score component in [0, 1] as "87.5". */
export function scorePoints(share: number, locale: string): string {
  // One formatter per locale: a comparison calls this for every score of every offer.
  let format = pointFormats.get(locale);
  if (!format) pointFormats.set(locale, (format = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })));
  return format.format(Math.round(share * 1000) / 10);
}
