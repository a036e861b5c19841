import { isRouteErrorResponse, Links, Meta, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { createContext, useContext, type ReactNode } from "react";
import { ErrorPage } from "../components/error-page";
import { AppShell } from "../components/shell";
import { I18nProvider, useI18n } from "../i18n/context";
import { DEFAULT_LOCALE, isMessageKey } from "../i18n/i18n";
import type { AppKind, LayoutData, NavItem } from "../types";

/** The root route's links: the shared stylesheet (its URL as the app's bundler gives it) and the icon. */
export function documentLinks(stylesUrl: string) {
  return [
    { rel: "stylesheet", href: stylesUrl },
    { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  ];
}

const NonceContext = createContext<string | undefined>(undefined);

/**
 * The response's CSP nonce (entry.server.tsx, from the Express layer), for the inline scripts
 * Remix writes. Server rendering only: the browser hydrates without it (it never needs it again).
 */
export const NonceProvider = NonceContext.Provider;

/**
 * The whole HTML document around every page of an app (the root route's Layout), from the root
 * loader's data (layoutData in @souk/ui/server); without it (the root loader failed) as signed out.
 */
export function AppDocument({ app, navigation, publicLinks, children }: {
  app: AppKind;
  navigation: readonly NavItem[];
  /** Links shown to signed-out visitors (sign in, sign up). */
  publicLinks: readonly NavItem[];
  children: ReactNode;
}) {
  const layout = useRouteLoaderData("root") as LayoutData | undefined;
  const nonce = useContext(NonceContext);
  const locale = layout?.locale ?? DEFAULT_LOCALE;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>
          <AppShell
            app={app}
            user={layout?.user ?? null}
            organizations={layout?.organizations ?? []}
            activeOrganizationId={layout?.activeOrganizationId ?? null}
            navigation={navigation}
            publicLinks={publicLinks}
            flash={layout?.flash ?? null}
            badges={layout?.badges ?? {}}
          >
            {children}
          </AppShell>
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** The root ErrorBoundary: 403/404/410/500 pages inside the layout. */
export function RouteErrorPage() {
  const error = useRouteError();
  const { tKey } = useI18n();
  if (!isRouteErrorResponse(error)) return <ErrorPage status={500} />;
  // Only a message key chosen by a service is shown (e.g. "invitation.expired"), never raw error text.
  const messageKey = (error.data as { messageKey?: unknown } | null)?.messageKey;
  return <ErrorPage status={error.status} detail={typeof messageKey === "string" && isMessageKey(messageKey) ? tKey(messageKey) : null} />;
}

/** The catch-all route's page (its loader answers 404 first, so the ErrorBoundary usually shows instead). */
export function NotFoundPage() {
  return <ErrorPage status={404} />;
}
