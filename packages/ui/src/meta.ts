import { DEFAULT_LOCALE, isLocale, translate, type Locale, type MessageKey, type MessageParams } from "./i18n/i18n";
import type { AppKind } from "./types";

type Matches = readonly { id: string; data: unknown }[];

/** The app's name in a language: the title of pages that have none of their own. */
export function appTitle(app: AppKind, locale: Locale | undefined): { title: string }[] {
  return [{ title: translate(locale ?? DEFAULT_LOCALE, `app.${app}.name`) }];
}

/** "<page> · <app name>" in the page's language (read from the root loader's data). */
export function pageTitle(app: AppKind, matches: Matches, key: MessageKey, params?: MessageParams): { title: string }[] {
  const rootData = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale = isLocale(rootData?.locale) ? rootData.locale : DEFAULT_LOCALE;
  return [{ title: `${translate(locale, key, params)} · ${translate(locale, `app.${app}.name`)}` }];
}
