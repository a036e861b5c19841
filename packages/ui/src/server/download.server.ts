import { isDomainError, type DomainError } from "@souk/domain";
import { translateFieldErrors } from "../i18n/i18n";
import { localeOf, translatorFor } from "./request.server";

/** A file handed to the browser: its name as the user will see it, its type, its bytes. */
export interface DownloadFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * Headers of a file sent for download: never rendered by the browser as a page of this site
 * (attachment, nosniff, a sandboxing CSP should it be opened anyway), never kept by a cache (it is
 * someone's company papers, or a copy of the audit log). They replace the server's page defaults
 * rather than adding to them (see `defaultResponseHeaders`), so the CSP repeats `frame-ancestors`.
 */
export function downloadHeaders(file: { name: string; contentType: string; size: number }): Headers {
  return new Headers({
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition": attachment(file.name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
    "Cache-Control": "private, no-store",
  });
}

/**
 * `attachment` with the file's name (RFC 6266): an ASCII fallback for old clients and the exact
 * name in UTF-8 (RFC 8187). Quotes, backslashes, control characters and path separators never reach
 * the header, so a name can add neither a parameter, a header nor a directory.
 */
export function attachment(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, "_").trim() || "download";
  const ascii = cleaned.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["%;]/g, "_").trim() || "download";
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A resource route's download: the file, or for a refusal (another seller's document: not found;
 * a role without the permission: forbidden; bad filters: their messages) a short plain-text answer
 * with its status in the reader's language. A resource route has no error page, and Remix would
 * log a thrown error response as a server error.
 */
export async function download(request: Request, read: () => Promise<DownloadFile>): Promise<Response> {
  let file: DownloadFile;
  try {
    file = await read();
  } catch (error) {
    // A server-side failure (a stored file gone missing) stays an error, for the log and a 500.
    if (!isDomainError(error) || error.status >= 500) throw error;
    return new Response(refusalText(request, error), { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  // A copy typed as a fetch body (the storage port hands out a view on any kind of buffer).
  const body = new Uint8Array(file.bytes);
  return new Response(body, { headers: downloadHeaders({ name: file.name, contentType: file.contentType, size: body.byteLength }) });
}

function refusalText(request: Request, error: DomainError): string {
  const { status } = error;
  const { t } = translatorFor(request);
  if (status === 404) return t("error.404.title");
  if (status === 410) return t("error.410.title");
  if (status === 401 || status === 403) return t("error.403.title");
  const messages = Object.values(translateFieldErrors(localeOf(request), error.fieldErrors)).flat();
  return messages.length > 0 ? messages.join("\n") : t("error.status", { status });
}
