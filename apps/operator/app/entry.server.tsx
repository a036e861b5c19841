import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext, type HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createLogger } from "@souk/services";
import { NonceProvider } from "@souk/ui";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { APP } from "./lib/app";

const ABORT_DELAY = 5_000;

// Server errors go through the redacting JSON logger with the request id (decision 0018), never
// Remix's default console.error, which prints a database error whole (its detail names e-mails).
const logger = createLogger({ service: APP });

/** Unexpected errors of loaders, actions and rendering; refusals (403, 404, 422...) are answers, not errors. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  logger.error("request failed", { error });
};

/**
 * Remix's default Node entry (streaming for browsers, the whole page at once for bots), plus the
 * CSP nonce of this response (made by the Express layer, passed in the load context): Remix's
 * inline scripts carry it, so the policy needs no 'unsafe-inline' for scripts.
 */
export default function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : undefined;
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      headers.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        ...(whole ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          status = 500;
          // Errors of the shell reject and reach handleError; later ones only here.
          if (shellRendered) logger.error("streaming the page failed", { error });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
