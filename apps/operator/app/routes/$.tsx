import { NotFoundPage } from "@souk/ui";
import { notFoundPage } from "@souk/ui/server";

/** Every URL no other route matches: a 404 rendered by the root ErrorBoundary inside the layout. */
export async function loader() {
  notFoundPage();
}

export async function action() {
  notFoundPage();
}

export default function NotFound() {
  return <NotFoundPage />;
}
