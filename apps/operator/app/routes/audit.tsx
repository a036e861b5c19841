import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AUDIT_EXPORT_MAX_ROWS, listAuditLog } from "@souk/services";
import { AuditLogPage, pageTitle } from "@souk/ui";
import { APP } from "../lib/app";
import { guards } from "../services.server";
import { listWithFilters } from "@souk/ui/server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "audit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:audit:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listAuditLog(deps, input));
  return { view, filters, filterErrors, exportLimit: AUDIT_EXPORT_MAX_ROWS };
}

export default function Audit() {
  return <AuditLogPage {...useLoaderData<typeof loader>()} />;
}
