import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * The request id of the work in progress: an HTTP request in the apps, or a job in the worker (the
 * id of the request that caused it). Held in an AsyncLocalStorage rather than passed down, so that
 * writeOutbox can store it with the row, and every log line can carry it, without each service
 * taking a parameter it never uses otherwise (decision 0018).
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * What an incoming `X-Request-Id` may be to be kept (a proxy's or a load balancer's id): short,
 * and only characters that are safe in a header, a log line and a Prometheus label. Anything else is
 * replaced, so a client cannot inject text into the logs through it.
 */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request id to use: the incoming header when well formed, otherwise a new uuid. */
export function requestIdFrom(header: string | readonly string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === "string" && WELL_FORMED.test(value) ? value : randomUUID();
}

/** Whether `id` could have come from requestIdFrom (a job's data is read back from Redis). */
export function isRequestId(id: unknown): id is string {
  return typeof id === "string" && WELL_FORMED.test(id);
}

/** Runs `fn` (and everything it starts, awaited or not) with `requestId` as the current request id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/**
 * Runs `fn` outside any request: for what one request starts on behalf of the whole process (a
 * shared LISTEN connection, say), which would otherwise carry that request's id for ever.
 */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The current request id, or null outside a request or a job that came from one. */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Where a job carries the request id of the outbox row it came from: a key of its data beside the
 * payload's own fields. Consumers parse the payload with the job's schema, which drops unknown
 * keys, so no handler ever sees it; the worker reads it for its log lines and runs the job under it.
 */
export const JOB_REQUEST_ID_KEY = "_requestId";

/** A job's data with the request id added (unchanged without one). */
export function withJobRequestId<T>(data: T, requestId: string | null | undefined): T {
  if (!requestId || data === null || typeof data !== "object" || Array.isArray(data)) return data;
  return { ...data, [JOB_REQUEST_ID_KEY]: requestId };
}

/** The request id a job's data carries, or null (a job from no request, or a malformed one). */
export function jobRequestId(data: unknown): string | null {
  if (data === null || typeof data !== "object") return null;
  const id = (data as Record<string, unknown>)[JOB_REQUEST_ID_KEY];
  return isRequestId(id) ? id : null;
}
