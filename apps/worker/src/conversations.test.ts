import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Actor, OrganizationId, UserId } from "@souk/domain";
import { createLocalDiskStorage, postConversationMessage } from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix } from "@souk/testing";
import { captureLogger, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-worker-conversations-"));
const storage = createLocalDiskStorage(storageDir);
const prefixes: string[] = [];
const running: RunningWorker[] = [];
afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});

async function start(overrides: Parameters<typeof testConfig>[1] = {}) {
  const config = testConfig(t.url, overrides);
  prefixes.push(config.queuePrefix);
  const { logger, entries } = captureLogger();
  running.push(await startWorker(config, { logger }));
  return { config, entries };
}

let counter = 0;
async function member(kind: "buyer" | "seller", organizationId: string, role: string): Promise<Actor> {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `conv-${kind}-${role}-${counter}@worker.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  return { userId: user.id as UserId, organizationId: organizationId as OrganizationId, organizationKind: kind, organizationStatus: "active", role: role as Actor["role"], ip: null };
}

/** A thread between a new buyer (admin + viewer) and a new seller (sales); the seller posts `messages` messages. */
async function thread(messages: number) {
  counter += 1;
  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: `Digest buyer ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const seller = await db.insertInto("organizations").values({ kind: "seller", name: `Digest seller ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await member("buyer", buyer.id, "admin");
  await member("buyer", buyer.id, "viewer");
  const sales = await member("seller", seller.id, "sales");
  const conversation = await db
    .insertInto("conversations")
    .values({ buyer_id: buyer.id, seller_id: seller.id, subject_kind: "order", subject_id: crypto.randomUUID() })
    .returning("id")
    .executeTakeFirstOrThrow();
  const deps = { db, storage, publicUrls: { buyer: "http://localhost:3001", seller: "http://localhost:3002", operator: "http://localhost:3003" }, request: { app: "seller" as const, ip: null, userAgent: null }, session: { id: "s", userId: sales.userId }, actor: sales };
  for (let i = 0; i < messages; i += 1) await postConversationMessage(deps, { conversationId: conversation.id, body: `Message ${i}` });
  return { buyerId: buyer.id };
}

const ofOrganization = (organizationId: string) => (row: { payload: unknown }) => (row.payload as { organizationId?: string }).organizationId === organizationId;
const digestEmails = async (buyerId: string) =>
  (await db.selectFrom("outbox").select(["payload", "sent_at"]).where("topic", "=", "notification.email").execute()).filter(ofOrganization(buyerId));

describe("conversation.digest jobs", () => {
  it("once due, e-mail each member who reads threads once for all its unread messages, through the outbox", async () => {
    const { buyerId } = await thread(20);
    await start({ conversationDigestMinutes: 0 });
    const mails = await waitFor(async () => {
      const rows = await digestEmails(buyerId);
      return rows.length === 2 && rows.every((r) => r.sent_at !== null) ? rows : null;
    }, 15_000, "two digest e-mails sent");
    expect(mails.map((m) => (m.payload as { params: { messageCount: string } }).params.messageCount)).toEqual(["20", "20"]);
    expect(await db.selectFrom("conversation_digest_pending").select("organization_id").where("organization_id", "=", buyerId).execute()).toEqual([]);
  });

  it("before it is due, the job reschedules itself at the first message plus CONVERSATION_DIGEST_MINUTES and sends nothing", async () => {
    const { buyerId } = await thread(3);
    await start({ conversationDigestMinutes: 15 });
    const later = await waitFor(async () => {
      const rows = (await db.selectFrom("outbox").select(["payload", "available_at"]).where("topic", "=", "conversation.digest").where("sent_at", "is", null).execute()).filter(ofOrganization(buyerId));
      // The database and this process share a clock here; 14 minutes leave room for the test's own time.
      return rows.find((r) => new Date(r.available_at).getTime() > Date.now() + 14 * 60_000);
    }, 15_000, "a rescheduled digest job");
    expect(later).toBeTruthy();
    expect(await digestEmails(buyerId)).toEqual([]);
  });
});
