import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { AppDocument, appTitle, documentLinks, RouteErrorPage } from "@souk/ui";
import { layoutData } from "@souk/ui/server";
import stylesUrl from "@souk/ui/styles.css?url";
import type { ReactNode } from "react";
import { APP, NAVIGATION, PUBLIC_LINKS } from "./lib/app";
import { guards } from "./services.server";
import { messageBadges } from "./lib/messages-badge.server";

export const links: LinksFunction = () => documentLinks(stylesUrl);

export const meta: MetaFunction<typeof loader> = ({ data: root }) => appTitle(APP, root?.locale);

/** Layout data for every page: language, who is signed in, their organisations, a flash message, the unread messages badge. */
export async function loader({ request }: LoaderFunctionArgs) {
  return layoutData(request, guards, messageBadges(request));
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <AppDocument app={APP} navigation={NAVIGATION} publicLinks={PUBLIC_LINKS}>
      {children}
    </AppDocument>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <RouteErrorPage />;
}
