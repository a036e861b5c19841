import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { AppShell, DEFAULT_LOCALE, ErrorPage, I18nProvider, isMessageKey, translate, useI18n } from "@souk/ui";
import stylesUrl from "@souk/ui/styles.css?url";
import type { ReactNode } from "react";
import { APP, NAVIGATION, PUBLIC_LINKS } from "./lib/app";
import { clearFlashCookie, localeOf, readFlash } from "./lib/request.server";
import { getSession, sessionCookieRefresh } from "./lib/session.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ data: root }) => [{ title: translate(root?.locale ?? DEFAULT_LOCALE, `app.${APP}.name`) }];

/** Layout data for every page: language, who is signed in, their organisations, a flash message. */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  const flash = readFlash(request);
  const headers = new Headers();
  const refresh = sessionCookieRefresh(request, session);
  if (refresh) headers.append("Set-Cookie", refresh);
  if (flash) headers.append("Set-Cookie", clearFlashCookie());
  return data(
    {
      locale: localeOf(request),
      flash,
      user: session ? { name: session.user.name, email: session.user.email } : null,
      organizations: session ? session.organizations.map((o) => ({ id: o.id, name: o.name, status: o.status, role: o.role })) : [],
      activeOrganizationId: session?.actor?.organizationId ?? null,
    },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const locale = root?.locale ?? DEFAULT_LOCALE;
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
            app={APP}
            user={root?.user ?? null}
            organizations={root?.organizations ?? []}
            activeOrganizationId={root?.activeOrganizationId ?? null}
            navigation={NAVIGATION}
            publicLinks={PUBLIC_LINKS}
            flash={root?.flash ?? null}
          >
            {children}
          </AppShell>
        </I18nProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { tKey } = useI18n();
  if (!isRouteErrorResponse(error)) return <ErrorPage status={500} />;
  // Only a message key chosen by a service is shown (e.g. "invitation.expired"), never raw error text.
  const messageKey = (error.data as { messageKey?: unknown } | null)?.messageKey;
  return <ErrorPage status={error.status} detail={typeof messageKey === "string" && isMessageKey(messageKey) ? tKey(messageKey) : null} />;
}
