import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { LOCALES, type MessageKey } from "../i18n/i18n";
import type { AppKind, NavItem, ShellOrganization, ShellUser } from "../types";
import { can } from "@souk/domain";
import { Alert } from "./alert";

/** Where a form should come back to: the current path and query, never another site. */
function useReturnTo(): string {
  const location = useLocation();
  return `${location.pathname}${location.search}`;
}

/**
 * Two submit buttons in one form: one click changes the language, with or without JavaScript.
 * The cookie it sets is read on every request; the page comes back in the chosen language.
 */
export function LanguageSwitcher() {
  const { t, locale } = useI18n();
  const returnTo = useReturnTo();
  return (
    <Form method="post" action="/language" className="language-switcher" aria-label={t("language.label")}>
      <input type="hidden" name="redirectTo" value={returnTo} />
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          className="language-option"
          aria-pressed={l === locale}
          aria-label={t(`language.${l}`)}
          title={t(`language.${l}`)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </Form>
  );
}

export function OrganizationSwitcher({ organizations, activeOrganizationId }: { organizations: readonly ShellOrganization[]; activeOrganizationId: string | null }) {
  const { t } = useI18n();
  const returnTo = useReturnTo();
  const active = organizations.find((o) => o.id === activeOrganizationId);
  if (organizations.length <= 1) {
    return active ? (
      <p className="org-name" title={t("orgSwitcher.label")}>
        {active.name}
      </p>
    ) : null;
  }
  return (
    <Form method="post" action="/organizations/switch" className="org-switcher">
      <input type="hidden" name="redirectTo" value={returnTo} />
      <label htmlFor="org-switcher-select" className="visually-hidden">
        {t("orgSwitcher.label")}
      </label>
      <select id="org-switcher-select" name="organizationId" defaultValue={activeOrganizationId ?? undefined} className="input select input--compact">
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--secondary button--compact">
        {t("orgSwitcher.submit")}
      </button>
    </Form>
  );
}

export function SignOutButton() {
  const { t } = useI18n();
  return (
    <Form method="post" action="/sign-out" className="sign-out">
      <button type="submit" className="button button--ghost button--compact">
        {t("shell.signOut")}
      </button>
    </Form>
  );
}

export interface AppShellProps {
  app: AppKind;
  user: ShellUser | null;
  organizations: readonly ShellOrganization[];
  activeOrganizationId: string | null;
  navigation: readonly NavItem[];
  /** Links shown to signed-out visitors (sign in, sign up). */
  publicLinks?: readonly NavItem[];
  flash?: MessageKey | null;
  /** Counts of the navigation's badges (NavItem.badge). */
  badges?: Record<string, number>;
  children: ReactNode;
}

export function AppShell({ app, user, organizations, activeOrganizationId, navigation, publicLinks = [], flash, badges = {}, children }: AppShellProps) {
  const { t } = useI18n();
  return (
    <div className={`shell shell--${app}`}>
      <a href="#main" className="skip-link">
        {t("shell.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label={t(`app.${app}.name`)}>
            <span className="brand-mark" aria-hidden="true">
              S
            </span>
            <span className="brand-text">{t(`app.${app}.name`)}</span>
          </Link>
          {user ? (
            <nav aria-label={t("shell.mainNavigation")} className="main-nav">
              <ul>
                {visibleNavigation(app, navigation, organizations, activeOrganizationId).map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end} className={({ isActive }) => `nav-link${isActive ? " nav-link--active" : ""}`}>
                      {t(item.label)}
                      {item.badge && (badges[item.badge] ?? 0) > 0 ? ` (${badges[item.badge]})` : null}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          ) : (
            <span className="topbar-spacer" />
          )}
          <div className="topbar-tools">
            {user ? <OrganizationSwitcher organizations={organizations} activeOrganizationId={activeOrganizationId} /> : null}
            <LanguageSwitcher />
            {user ? (
              <div className="user-menu">
                <span className="user-name" title={user.email}>
                  {user.name}
                </span>
                <SignOutButton />
              </div>
            ) : (
              <nav aria-label={t("shell.account")} className="public-nav">
                {publicLinks.map((item) => (
                  <NavLink key={item.to} to={item.to} className={({ isActive }) => `nav-link${isActive ? " nav-link--active" : ""}`}>
                    {t(item.label)}
                  </NavLink>
                ))}
              </nav>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {flash ? (
          <div className="flash">
            <Alert tone="success">{t(flash)}</Alert>
          </div>
        ) : null}
        {children}
      </main>
      <footer className="footer">
        <p>{t("shell.footer")}</p>
      </footer>
    </div>
  );
}

/** The entries the active membership may use: a link to a page that would answer 403 is noise. */
export function visibleNavigation(app: AppKind, navigation: readonly NavItem[], organizations: readonly ShellOrganization[], activeOrganizationId: string | null): NavItem[] {
  const role = organizations.find((o) => o.id === activeOrganizationId)?.role;
  return navigation.filter((item) => !item.permission || (role !== undefined && can(app, role, item.permission)));
}
