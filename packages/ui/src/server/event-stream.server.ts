export interface EventStreamOptions<T> {
  /** Starts listening; calls `notify` on every change; returns the unsubscribe function. */
  subscribe: (notify: () => void) => () => void;
  /**
   * The viewer's current view, read through the services with the viewer's rights (never the
   * event's payload). Returning null, or throwing, ends the stream (the viewer lost access, or the
   * thing being watched is over).
   */
  snapshot: () => Promise<T | null>;
  /** Comment lines that keep proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Changes within this window are sent as one snapshot. */
  coalesceMs?: number;
  /**
   * What of a snapshot is compared with the last one sent (default: all of it). A snapshot equal to
   * the last one sent is not sent: a change the viewer cannot see (another seller's sealed offer)
   * must not reach it even as the timing of an event. Map the view to what the viewer can see
   * change, without the volatile keys (the read's clock, `serverNow`).
   */
  ignore?: (view: T) => unknown;
}

/** `view` without `keys`, for EventStreamOptions.ignore. */
export function withoutKeys<T extends object>(...keys: (keyof T)[]): (view: T) => unknown {
  return (view) => {
    const copy: Partial<T> = { ...view };
    for (const key of keys) delete copy[key];
    return copy;
  };
}

/**
 * A server-sent events response for a Remix resource route: one `update` event with the first
 * snapshot, then one after each burst of changes whose snapshot differs from the last one sent
 * (compared through `ignore`); `end` when the snapshot says so. Closes when
 * the client goes away (the request's signal). Pages work without it: it only spares a reload.
 */
export function eventStream<T>(request: Request, options: EventStreamOptions<T>): Response {
  const encoder = new TextEncoder();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const coalesceMs = options.coalesceMs ?? 100;
  let cleanup = () => undefined as void;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let pending: NodeJS.Timeout | null = null;
      let running: Promise<void> = Promise.resolve();
      let lastSent: string | null = null;

      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
          cleanup();
        }
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // Already cancelled by the client.
        }
      };
      const send = async () => {
        try {
          const view = await options.snapshot();
          if (view === null) {
            write("event: end\ndata: {}\n\n");
            close();
            return;
          }
          const compared = JSON.stringify(options.ignore ? options.ignore(view) : view);
          if (compared === lastSent) return;
          lastSent = compared;
          write(`event: update\ndata: ${JSON.stringify(view)}\n\n`);
        } catch {
          write("event: end\ndata: {}\n\n");
          close();
        }
      };
      const schedule = () => {
        if (closed || pending) return;
        pending = setTimeout(() => {
          pending = null;
          running = running.then(send);
        }, coalesceMs);
      };

      const unsubscribe = options.subscribe(schedule);
      const heartbeat = setInterval(() => write(": ping\n\n"), heartbeatMs);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        if (pending) clearTimeout(pending);
      };
      request.signal.addEventListener("abort", close, { once: true });
      write("retry: 3000\n\n");
      running = running.then(send);
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
