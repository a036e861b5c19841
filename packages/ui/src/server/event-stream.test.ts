import { describe, expect, it } from "vitest";
import { eventStream, withoutKeys } from "./event-stream.server";

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

  it("sends no snapshot equal to the last one sent, compared without the keys `ignore` drops", async () => {
    const abort = new AbortController();
    const source = watched();
    let reads = 0;
    let count = 1;
    const response = eventStream(new Request("http://x/events", { signal: abort.signal }), {
      subscribe: source.subscribe,
      snapshot: () => Promise.resolve({ count, serverNow: `t${++reads}` }),
      ignore: withoutKeys("serverNow"),
      coalesceMs: 5,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const frames: string[] = [];
    let pump = true;
    const pumping = (async () => {
      while (pump) {
        const { value, done } = await reader.read();
        if (done) return;
        frames.push(...decoder.decode(value).split("\n\n").filter((f) => f.startsWith("event: update")));
      }
    })();
    const settle = async (n: number) => {
      const start = Date.now();
      while (reads < n) {
        if (Date.now() - start > 2_000) throw new Error("no snapshot read");
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 20));
    };
    await settle(1);
    expect(frames).toEqual(['event: update\ndata: {"count":1,"serverNow":"t1"}']);

    // Changes the viewer cannot see: the view is read again, nothing is sent, not even a ping.
    source.notify();
    await settle(2);
    source.notify();
    await settle(3);
    expect(frames).toHaveLength(1);

    // A visible change is sent, with the volatile keys; then the same view again is not.
    count = 2;
    source.notify();
    await settle(4);
    expect(frames[1]).toBe('event: update\ndata: {"count":2,"serverNow":"t4"}');
    source.notify();
    await settle(5);
    expect(frames).toHaveLength(2);

    // Without `ignore` the whole view is compared.
    const plainAbort = new AbortController();
    const plain = eventStream(new Request("http://x/events", { signal: plainAbort.signal }), { subscribe: watched().subscribe, snapshot: () => Promise.resolve({ same: true }) });
    expect(await readUntil(plain.body!.getReader(), (t) => t.includes("update"))).toContain('data: {"same":true}');

    plainAbort.abort();
    pump = false;
    abort.abort();
    await pumping;
  });
});
