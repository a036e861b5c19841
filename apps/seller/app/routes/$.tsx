import { notFoundPage } from "../lib/errors.server";

/** Every URL no other route matches: a 404 rendered by the root ErrorBoundary inside the layout. */
export async function loader() {
  notFoundPage();
}

export async function action() {
  notFoundPage();
}

export default function NotFound() {
  return null;
}
