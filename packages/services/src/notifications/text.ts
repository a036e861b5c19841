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

/** A link placed alone on its line: only http(s), re-serialised by the URL parser. */
export function safeUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`refused URL scheme ${url.protocol}`);
  return url.toString();
}
