import type { Permission } from "@souk/domain";
import type { Locale, MessageKey } from "./i18n/i18n";

export type AppKind = "buyer" | "seller" | "operator";

/** A date as a loader passes it: a Date on the server, its JSON string once serialised. */
export type DateLike = Date | string;

/** What an action returns when a form must be shown again: messages already translated. */
export interface FormFailure {
  ok: false;
  /** Field name → translated messages. */
  fieldErrors: Record<string, string[]>;
  /** A message about the whole form (e.g. invalid credentials), translated. */
  formError: string | null;
  /** What the user typed, to fill the form again; never contains a password. */
  values: Record<string, string>;
}

export interface ShellUser {
  name: string;
  email: string;
}

export interface ShellOrganization {
  id: string;
  name: string;
  status: string;
  role: string;
}

export interface NavItem {
  to: string;
  label: MessageKey;
  /** Shown only to members whose role in the active organisation has this permission. */
  permission?: Permission;
  /** Match only the exact path (for "/"). */
  end?: boolean;
  /** A count the layout data carries under this name (LayoutData.badges), shown as "Label (n)" when above 0. */
  badge?: string;
}

export function isFormFailure(value: unknown): value is FormFailure {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false && "fieldErrors" in value;
}

/** What an error page receives: the stable code and, when a service gave one, a message key to explain it. */
export interface ErrorPageData {
  code: string;
  messageKey: string | null;
}

/** The root loader's data, shown around every page: language, who is signed in, their organisations, a flash message. */
export interface LayoutData {
  locale: Locale;
  flash: MessageKey | null;
  user: ShellUser | null;
  organizations: ShellOrganization[];
  activeOrganizationId: string | null;
  /** Counts for the navigation's badges (NavItem.badge), e.g. `messages`: unread thread messages. */
  badges?: Record<string, number>;
}
