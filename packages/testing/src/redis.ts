import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { redisUrl } from "./env";

export { redisUrl };

/** A queue prefix no other test uses, so BullMQ queues never see another test's jobs. */
export function uniqueQueuePrefix(): string {
  return `souk-test-${randomBytes(5).toString("hex")}`;
}

/** Deletes every key under a prefix (call in afterEach/afterAll). */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
