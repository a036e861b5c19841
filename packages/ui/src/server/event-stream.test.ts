import { describe, expect, it } from "vitest";
import { eventStream } from "./event-stream.server";

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  return text;
}

function watched() {
  let notify: () => void = () => undefined;
  let subscribed = 0;
  return {
    subscribe: (n: () => void) => {
      notify = n;
      subscribed += 1;
      return () => {
        subscribed -= 1;
      };
    },
    notify: () => notify(),
    get subscribed() {
      return subscribed;
    },
  };
}

describe("eventStream", () => {
  it("sends the first snapshot, one snapshot per burst of changes, and unsubscribes when the client leaves", async () => {
    const abort = new AbortController();
    const source = watched();
    let version = 0;
    const response = eventStream(new Request("http://x/events", { signal: abort.signal }), {
      subscribe: source.subscribe,
      snapshot: () => Promise.resolve({ version: ++version }),
      coalesceMs: 20,
    });
    expect(response.headers.get("Content-Type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    expect(await readUntil(reader, (t) => t.includes('"version":1'))).toContain('event: update\ndata: {"version":1}');

    source.notify();
    source.notify();
    source.notify();
    const burst = await readUntil(reader, (t) => t.includes('"version":2'));
    expect(burst).toContain('data: {"version":2}');
    await new Promise((r) => setTimeout(r, 60));
    expect(version).toBe(2); // three changes, one snapshot

    expect(source.subscribed).toBe(1);
    abort.abort();
    expect(source.subscribed).toBe(0);
  });

  it("ends the stream when the snapshot says the viewer may no longer watch", async () => {
    const source = watched();
    let allowed = true;
    const response = eventStream(new Request("http://x/events"), {
      subscribe: source.subscribe,
      snapshot: () => (allowed ? Promise.resolve({ ok: true }) : Promise.reject(new Error("NOT_FOUND"))),
      coalesceMs: 5,
    });
    const reader = response.body!.getReader();
    await readUntil(reader, (t) => t.includes("update"));
    allowed = false;
    source.notify();
    const rest = await readUntil(reader, (t) => t.includes("event: end"));
    expect(rest).toContain("event: end");
    expect(rest).not.toContain("NOT_FOUND");
    expect((await reader.read()).done).toBe(true);
    expect(source.subscribed).toBe(0);
  });
});
