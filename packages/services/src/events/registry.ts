import { z } from "zod";
import { isEventName, parseJobPayload, type EventName, type JobPayload } from "@souk/jobs";
import { validationError } from "@souk/domain";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";

/** A domain event as its consumers receive it: the topic, its outbox row and its payload. */
export interface DomainEvent<T extends EventName = EventName> {
  topic: T;
  /** The outbox row the event came from; a redelivery carries the same id. */
  outboxId: string;
  payload: JobPayload<T>;
}

/** What a consumer gets: the service deps of the worker (database, public URLs). */
export type EventConsumerDeps = ServiceDeps;

/**
 * One context's reaction to an event (the catalogue unlists a suspended seller's listings...).
 * Delivery is at least once and a retry re-runs every consumer of the event, including those that
 * already succeeded: a consumer must be idempotent on the event's `decisionId` (see docs/events.md).
 */
export type EventHandler<T extends EventName> = (deps: EventConsumerDeps, event: DomainEvent<T>) => Promise<void>;

export interface EventConsumer<T extends EventName = EventName> {
  topic: T;
  /** Stable and unique per topic ("catalogue", "rfq", "settlement"): it names the consumer in logs and errors. */
  name: string;
  // Method syntax on purpose: a consumer of one topic then fits a table of consumers of any topic
  // (EventConsumer[]); the registry only ever hands it events of its own topic.
  handle(deps: EventConsumerDeps, event: DomainEvent<T>): Promise<void>;
}

/** A typed entry for a table of consumers (see consumers.ts). */
export function eventConsumer<T extends EventName>(topic: T, name: string, handle: EventHandler<T>): EventConsumer<T> {
  return { topic, name, handle };
}

const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,39}$/;

// topic → consumers in registration order. Module state on purpose: the consumers are registered
// once, when this package is loaded (consumers.ts), and the worker dispatches from here.
const registry = new Map<EventName, EventConsumer[]>();

/**
 * Adds a consumer for every event of its topic. Returns the function that removes it again
 * (tests). A second consumer of the same name for one topic is a programming error.
 */
export function registerConsumer(consumer: EventConsumer): () => void {
  const { topic, name } = consumer;
  if (!isEventName(topic)) throw new Error(`${String(topic)} is not a domain event of the catalogue`);
  if (!CONSUMER_NAME.test(name)) throw new Error(`Invalid event consumer name ${JSON.stringify(name)}`);
  const consumers = registry.get(topic) ?? [];
  if (consumers.some((c) => c.name === name)) throw new Error(`A consumer named ${name} is already registered for ${topic}`);
  registry.set(topic, [...consumers, consumer]);
  return () => {
    registry.set(topic, (registry.get(topic) ?? []).filter((c) => c !== consumer));
  };
}

/** `registerConsumer` with the consumer's parts as arguments. */
export function registerEventConsumer<T extends EventName>(topic: T, name: string, handler: EventHandler<T>): () => void {
  return registerConsumer(eventConsumer(topic, name, handler));
}

/** The consumers of a topic, in the order they run. */
export function eventConsumersOf(topic: EventName): readonly EventConsumer[] {
  return registry.get(topic) ?? [];
}

/** Raised when consumers failed; the others ran. The job is retried, so every consumer runs again. */
export class EventConsumersFailedError extends AggregateError {
  override readonly name = "EventConsumersFailedError";
  constructor(
    readonly topic: EventName,
    readonly outboxId: string,
    readonly failed: { consumer: string; error: unknown }[],
  ) {
    super(
      failed.map((f) => f.error),
      `${failed.length} consumer(s) of ${topic} (outbox ${outboxId}) failed: ${failed.map((f) => `${f.consumer}: ${describe(f.error)}`).join("; ")}`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export const dispatchEventInput = z.object({
  topic: z.string().refine(isEventName, { error: "topic.unknown" }),
  outboxId: z.string().regex(/^[1-9][0-9]{0,18}$/, { error: "outboxId.invalid" }),
  payload: z.unknown(),
});

export interface DispatchEventResult {
  topic: EventName;
  /** The consumers that ran, in order (all of them succeeded). */
  consumers: string[];
}

/**
 * Hands one event to every consumer registered for its topic, one after the other. A failing
 * consumer does not stop the others; once all have run, the failures are thrown together
 * (EventConsumersFailedError) so the queue retries the event. An unknown topic or a payload its
 * schema refuses can never succeed: VALIDATION DomainError, which the worker does not retry.
 */
export async function dispatchEvent(deps: EventConsumerDeps, input: { topic: string; outboxId: string; payload: unknown }): Promise<DispatchEventResult> {
  const data = parseInput(dispatchEventInput, input);
  const topic = data.topic as EventName;
  let payload: JobPayload<EventName>;
  try {
    payload = parseJobPayload(topic, data.payload);
  } catch (error) {
    throw validationError({ payload: ["payload.invalid"] }, describe(error));
  }
  const event: DomainEvent = { topic, outboxId: data.outboxId, payload };
  const consumers = eventConsumersOf(topic);
  const failed: { consumer: string; error: unknown }[] = [];
  for (const consumer of consumers) {
    try {
      await consumer.handle(deps, event);
    } catch (error) {
      failed.push({ consumer: consumer.name, error });
    }
  }
  if (failed.length > 0) throw new EventConsumersFailedError(topic, data.outboxId, failed);
  return { topic, consumers: consumers.map((c) => c.name) };
}
