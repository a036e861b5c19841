import type { MetaDescriptor } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, translate, type MessageKey, type MessageParams } from "@souk/ui";
import { APP } from "./app";

type Matches = readonly { id: string; data: unknown }[];

/** "<page> · <app name>" in the page's language (read from the root loader's data). */
export function pageTitle(matches: Matches, key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const rootData = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale = isLocale(rootData?.locale) ? rootData.locale : DEFAULT_LOCALE;
  return [{ title: `${translate(locale, key, params)} · ${translate(locale, `app.${APP}.name`)}` }];
}
