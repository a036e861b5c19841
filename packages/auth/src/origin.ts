const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * CSRF defence for state-changing requests: the browser-set Origin must be one of ours. Some
 * browsers and privacy settings omit Origin on same-origin POSTs, so a Referer from one of our
 * origins is accepted in its place; with neither, the request is refused. Safe methods must not
 * change state and pass untouched.
 */
export function verifyOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  // Allowed entries may be written as full URLs ("https://x.test/"): compare origins only.
  const allowed = new Set(allowedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null && o !== "null"));
  const origin = request.headers.get("origin");
  if (origin !== null) return allowed.has(origin);
  const referer = request.headers.get("referer");
  if (referer === null) return false;
  const refererOrigin = originOf(referer);
  return refererOrigin !== null && allowed.has(refererOrigin);
}
