export { createJobsDeps, readJobsConfig, type JobsConfig, type JobsDeps } from "./jobs-deps";
export { jobPayloadSummary, QUEUE_NAMES, type QueueName } from "./shared";
export * from "./get-queue-overview";
export * from "./list-failed-jobs";
export * from "./retry-failed-job";
export * from "./get-system-health";
export * from "./index-drift";
