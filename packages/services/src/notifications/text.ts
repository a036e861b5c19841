// C0/C1 controls (newlines included), bidirectional overrides and zero-width characters: a value
// carrying them could add lines to the message ("...\n\nClick http://evil") or make text read
// differently from what it is.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g;

/**
 * A user-supplied value made safe to place inside a plain-text e-mail line or a subject: one line,
 * no control or invisible characters, trimmed, at most `max` characters.
 */
export function plain(value: string, max = 200): string {
  const cleaned = value.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  return [...cleaned].length > max ? `${[...cleaned].slice(0, max - 1).join("")}…` : cleaned;
}

/** What stands in for a secret value in every copy of a message that outlives its sending. */
export const REDACTED = "…";
const REDACTED_ENCODED_END = new RegExp(`${encodeURIComponent(REDACTED)}$`);

/** A link placed alone on its line: only http(s), re-serialised by the URL parser. */
export function safeUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`refused URL scheme ${url.protocol}`);
  // The parser percent-encodes the marker of a redacted link; the stored copy should stay readable.
  return url.toString().replace(REDACTED_ENCODED_END, REDACTED);
}

/**
 * A secret parameter (a one-time link) as history and logs may show it. A link keeps only its
 * origin (`https://buyer.example/…`), enough to tell which app it pointed to: the token may sit in
 * any path segment, the query or the fragment, and credentials are secret too. Anything else
 * becomes the bare marker. Redacting a redacted value returns it unchanged, which is how a
 * scrubbed payload is recognised.
 */
export function redactSecret(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return REDACTED;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return REDACTED;
  return `${url.origin}/${REDACTED}`;
}
