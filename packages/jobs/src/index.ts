export * from "./queues";
export * from "./catalogue";
export * from "./outbox";
export * from "./redis";
export * from "./enqueue";
export * from "./outbox-backlog";
export * from "./observability";
