import pg from "pg";

export interface PgListenerConfig {
  connectionString: string;
  applicationName?: string;
  /** First wait before reconnecting after the connection is lost; doubles up to 10 s. */
  retryDelayMs?: number;
}

/**
 * `handler(payload)` for each NOTIFY on the channel; `handler(null)` after a lost connection was
 * re-established, since notifications sent meanwhile are gone: the subscriber should re-read.
 */
export type PgNotificationHandler = (payload: string | null) => void;

export interface PgListener {
  /** Starts listening (connecting on first use); returns the unsubscribe function. */
  subscribe(channel: string, handler: PgNotificationHandler): () => void;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One dedicated PostgreSQL connection per process for LISTEN (a pooled connection cannot hold a
 * LISTEN), shared by every subscriber. NOTIFY is transactional, so a subscriber only ever hears of
 * committed changes. The connection is opened on the first subscription and re-opened, with its
 * LISTENs, when it is lost.
 */
export function createPgListener(config: PgListenerConfig): PgListener {
  const handlers = new Map<string, Set<PgNotificationHandler>>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let retryDelay = config.retryDelayMs ?? 250;
  let retryTimer: NodeJS.Timeout | null = null;

  const quote = (channel: string) => `"${channel}"`;

  function dispatch(channel: string, payload: string | null): void {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch {
        // One subscriber's failure must not starve the others.
      }
    }
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect(true);
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10_000);
  }

  function connect(reconnecting = false): Promise<void> {
    if (closed || client || connecting) return connecting ?? Promise.resolve();
    const next = new pg.Client({ connectionString: config.connectionString, application_name: config.applicationName ?? "souk-listen" });
    next.on("notification", (message) => dispatch(message.channel, message.payload ?? ""));
    next.on("error", () => {
      if (client === next) client = null;
      next.end().catch(() => undefined);
      scheduleReconnect();
    });
    connecting = (async () => {
      try {
        await next.connect();
        for (const channel of handlers.keys()) await next.query(`listen ${quote(channel)}`);
        if (closed) {
          await next.end();
          return;
        }
        client = next;
        retryDelay = config.retryDelayMs ?? 250;
        if (reconnecting) for (const channel of handlers.keys()) dispatch(channel, null);
      } catch {
        next.end().catch(() => undefined);
        scheduleReconnect();
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  }

  return {
    subscribe(channel, handler) {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name ${channel}`);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        if (client) client.query(`listen ${quote(channel)}`).catch(() => undefined);
      }
      set.add(handler);
      void connect();
      return () => {
        set.delete(handler);
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await connecting;
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
