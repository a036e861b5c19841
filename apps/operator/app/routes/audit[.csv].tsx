import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAuditLogCsv } from "@souk/services";
import { download } from "@souk/ui/server";
import { guards } from "../services.server";

/** The audit log under the filters of /audit (same query string), as a CSV file. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:audit:any");
  return download(request, async () => {
    const csv = await exportAuditLogCsv(deps, Object.fromEntries(new URL(request.url).searchParams));
    const day = new Date().toISOString().slice(0, 10);
    // The byte order mark makes spreadsheet programs read the file as UTF-8 (accented names).
    return { name: `souk-audit-log-${day}.csv`, contentType: "text/csv; charset=utf-8; header=present", bytes: new TextEncoder().encode(`\uFEFF${csv}`) };
  });
}
