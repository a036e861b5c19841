/** A server-sent event as the stream sends it: its name and its JSON data. */
export interface StreamFrame {
  event: string;
  data: Record<string, unknown>;
}

export interface StreamReader {
  /** The frames received so far, in order. */
  readonly frames: StreamFrame[];
  /** True once the server closed the stream. */
  readonly done: boolean;
  /** Waits up to `ms` for the stream to hold `count` frames; returns how many it holds. */
  frameCount(count: number, ms?: number): Promise<number>;
  close(): void;
}

/**
 * Reads an event-stream response (eventStream in @souk/ui/server) in the background and collects
 * its named frames. `abort` is the request's AbortController: closing the reader aborts it, as a
 * browser leaving the page does.
 */
export function readEventStream(response: Response, abort: AbortController): StreamReader {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: StreamFrame[] = [];
  let done = false;
  let buffer = "";
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value);
      let at: number;
      while ((at = buffer.indexOf("\n\n")) >= 0) {
        const raw = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const event = /^event: (.*)$/m.exec(raw)?.[1];
        const data = /^data: (.*)$/m.exec(raw)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      }
    }
    done = true;
  })();
  return {
    frames,
    get done() {
      return done;
    },
    async frameCount(count, ms = 3_000) {
      const start = Date.now();
      while (frames.length < count && !done && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 10));
      return frames.length;
    },
    close() {
      abort.abort();
      void reader.cancel().catch(() => undefined);
    },
  };
}

/**
 * Waits until a process's LISTEN connection hears events (the first subscription opens it), so
 * that a test asserting "no frame" cannot pass only because nothing was listening yet: subscribes
 * to a probe channel and publishes on it until the probe is heard.
 */
export async function untilListening(subscribe: (id: string, listener: () => void) => () => void, publish: (id: string) => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const probe = crypto.randomUUID();
  let heard = false;
  const unsubscribe = subscribe(probe, () => {
    heard = true;
  });
  try {
    const start = Date.now();
    while (!heard) {
      if (Date.now() - start > timeoutMs) throw new Error("the app never listened");
      await publish(probe);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    unsubscribe();
  }
}
