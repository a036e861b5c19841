import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { canMoveSeller, ORGANIZATION_STATUSES, SELLER_DECISIONS, type SellerDecision } from "@souk/domain";
import type { NotificationEmailPayload, SellerReinstatedPayload, SellerSuspendedPayload } from "@souk/jobs";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../deps";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { renderEmail } from "../notifications/templates";
import { decideSeller } from "./decide-seller";
import { getSellerForReview } from "./get-seller-for-review";
import { asOwner, decisionRowCounts, memberOf, operator, seller, statusOf } from "./test-support";

const { db } = await createTestDatabase();

const outboxOf = async (organizationId: string) =>
  (await db.selectFrom("outbox").select(["id", "topic", "payload"]).orderBy("id").execute()).filter(
    (row) => (row.payload as { organizationId?: string }).organizationId === organizationId,
  );

describe("decideSeller", () => {
  test("an admin approves a submitted application: status, history, audit, e-mail and in-app notice to every owner, in their language", async () => {
    const admin = await operator(db, "admin", "Olga Admin");
    const s = await seller(db, { ownerLocales: ["en", "fr"] });

    const result = await decideSeller(admin, { organizationId: s.id, decision: "approve" });
    expect(result).toMatchObject({ organizationId: s.id, decision: "approve", from: "pending", to: "active", notified: 2 });
    expect(await statusOf(db, s.id)).toBe("active");

    const decision = await db.selectFrom("seller_decisions").selectAll().where("organization_id", "=", s.id).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      id: result.decisionId,
      move: "approve",
      from_status: "pending",
      to_status: "active",
      message: null,
      actor_user_id: admin.actor.userId,
      actor_organization_id: admin.actor.organizationId,
    });

    const audit = await db.selectFrom("audit_log").selectAll().where("organization_id", "=", s.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "seller.approved",
      actor_user_id: admin.actor.userId,
      actor_organization_id: admin.actor.organizationId,
      organization_id: s.id,
      target_type: "organization",
      target_id: s.id,
      ip: admin.request.ip,
      reason: null,
      data: { decisionId: result.decisionId, decision: "approve", from: "pending", to: "active" },
    });

    const outbox = await outboxOf(s.id);
    expect(outbox.map((r) => r.topic)).toEqual(["notification.email", "notification.email"]);
    const emails = outbox.map((r) => r.payload as NotificationEmailPayload);
    expect(emails.map((e) => [e.to, e.locale, e.template, e.userId])).toEqual(
      expect.arrayContaining(s.owners.map((o) => [o.email, o.locale, "seller.decision.approve", o.userId])),
    );
    for (const email of emails) {
      expect(email.params).toEqual({ name: expect.any(String), organizationName: s.name, applicationUrl: `${TEST_URLS.seller}/application` });
      expect(renderEmail(email.template, email.locale, email.params).subject).toContain(s.name);
    }

    const inApp = await db.selectFrom("notifications").selectAll().where("organization_id", "=", s.id).where("channel", "=", "in_app").execute();
    expect(inApp.map((n) => n.user_id).sort()).toEqual(s.owners.map((o) => o.userId).sort());
    const french = inApp.find((n) => n.locale === "fr");
    expect(french?.subject).toBe(`${s.name} est autorisé à vendre sur Souk`);
    expect(french).toMatchObject({ template: "seller.decision.approve", outbox_id: null, to_address: null, sent_at: null, read_at: null });
  });

  test("a moderator asks for more information: the question is kept in the history, the audit reason and the e-mail", async () => {
    const moderator = await operator(db, "moderator");
    const s = await seller(db);
    const question = "Please upload your certificate of incorporation,\nissued less than 3 months ago.";
    await decideSeller(moderator, { organizationId: s.id, decision: "request_info", message: `  ${question}  ` });
    expect(await statusOf(db, s.id)).toBe("info_requested");
    const decision = await db.selectFrom("seller_decisions").select(["message", "to_status"]).where("organization_id", "=", s.id).executeTakeFirstOrThrow();
    expect(decision).toEqual({ message: question, to_status: "info_requested" });
    const audit = await db.selectFrom("audit_log").select(["action", "reason", "ip"]).where("organization_id", "=", s.id).executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: "seller.info_requested", reason: question, ip: moderator.request.ip });
    const [email] = (await outboxOf(s.id)).map((r) => r.payload as NotificationEmailPayload);
    expect(email?.params.message).toBe(question);
    expect(renderEmail("seller.decision.request_info", "en", email?.params).text).toContain(
      "> Please upload your certificate of incorporation,\n> issued less than 3 months ago.",
    );
  });

  test.each([
    ["finance operator", () => operator(db, "finance")],
    ["seller owner", async () => asOwner(db, await seller(db, { status: "active" }))],
    ["buyer admin", () => memberOf(db, "buyer", "admin")],
  ])("a %s is refused (FORBIDDEN) and nothing is written", async (_who, makeActor) => {
    const actor = await makeActor();
    const s = await seller(db);
    const before = await decisionRowCounts(db);
    for (const decision of SELLER_DECISIONS) {
      const error = await domainErrorOf(decideSeller(actor, { organizationId: s.id, decision, message: "Because." }));
      expect(error.code).toBe("FORBIDDEN");
    }
    expect(await decisionRowCounts(db)).toEqual(before);
    expect(await statusOf(db, s.id)).toBe("pending");
  });

  const illegal = ORGANIZATION_STATUSES.flatMap((status) => SELLER_DECISIONS.filter((d) => !canMoveSeller(status, d)).map((d) => [status, d] as const));

  test.each(illegal)("a %s seller cannot be moved by %s: ILLEGAL_TRANSITION and nothing written", async (status, decision) => {
    const admin = await operator(db, "admin");
    const s = await seller(db, { status });
    const before = await decisionRowCounts(db);
    const error = await domainErrorOf(decideSeller(admin, { organizationId: s.id, decision, message: "A reason that would do." }));
    expect(error).toMatchObject({ code: "ILLEGAL_TRANSITION", message: "seller.illegal_transition", fieldErrors: { decision: ["seller.illegal_transition"] } });
    expect(await decisionRowCounts(db)).toEqual(before);
    expect(await statusOf(db, s.id)).toBe(status);
  });

  test("covers the transitions the issue names", () => {
    expect(illegal).toEqual(expect.arrayContaining([["rejected", "approve"], ["pending", "suspend"], ["active", "reinstate"], ["suspended", "approve"]]));
  });

  test.each([
    ["reject", "decision.reason_required"],
    ["suspend", "decision.reason_required"],
    ["request_info", "decision.question_required"],
  ] as const)("%s needs a message (%s); blank does not count; nothing is written", async (decision, key) => {
    const admin = await operator(db, "admin");
    const s = await seller(db, { status: decision === "suspend" ? "active" : "pending" });
    const before = await decisionRowCounts(db);
    for (const message of [undefined, "", "   \n  "]) {
      const error = await domainErrorOf(decideSeller(admin, { organizationId: s.id, decision, message }));
      expect(error).toMatchObject({ code: "VALIDATION", fieldErrors: { message: [key] } });
    }
    const tooLong = await domainErrorOf(decideSeller(admin, { organizationId: s.id, decision, message: "x".repeat(2_001) }));
    expect(tooLong.fieldErrors).toEqual({ message: ["decision.message_too_long"] });
    expect(await decisionRowCounts(db)).toEqual(before);
  });

  test("refuses an unknown decision, and answers NOT_FOUND for an id that is not a seller's", async () => {
    const admin = await operator(db, "admin");
    const s = await seller(db);
    expect((await domainErrorOf(decideSeller(admin, { organizationId: s.id }))).fieldErrors).toEqual({ decision: ["decision.required"] });
    expect((await domainErrorOf(decideSeller(admin, { organizationId: s.id, decision: "ban" }))).fieldErrors).toEqual({ decision: ["decision.invalid"] });
    const buyer = await memberOf(db, "buyer", "admin");
    for (const organizationId of [buyer.actor.organizationId, admin.actor.organizationId, "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "not-an-id", undefined]) {
      expect((await domainErrorOf(decideSeller(admin, { organizationId, decision: "approve" }))).code).toBe("NOT_FOUND");
    }
    expect(await statusOf(db, buyer.actor.organizationId)).toBe("active");
  });

  test("a pending seller that has not submitted its application yet cannot be decided on", async () => {
    const admin = await operator(db, "admin");
    const draft = await seller(db, { submittedAt: null });
    const before = await decisionRowCounts(db);
    for (const decision of ["approve", "reject", "request_info"] as const) {
      const error = await domainErrorOf(decideSeller(admin, { organizationId: draft.id, decision, message: "Why." }));
      expect(error).toMatchObject({ code: "ILLEGAL_TRANSITION", fieldErrors: { decision: ["seller.not_submitted"] } });
    }
    expect(await decisionRowCounts(db)).toEqual(before);
    expect((await getSellerForReview(admin, { organizationId: draft.id })).availableDecisions).toEqual([]);
  });

  test("a suspension publishes seller.suspended and a reinstatement seller.reinstated, carrying the decision id and time", async () => {
    const moderator = await operator(db, "moderator");
    const s = await seller(db, { status: "active" });
    const suspended = await decideSeller(moderator, { organizationId: s.id, decision: "suspend", message: "Counterfeit goods reported." });
    const reinstated = await decideSeller(moderator, { organizationId: s.id, decision: "reinstate" });
    expect(await statusOf(db, s.id)).toBe("active");

    const decisions = await db.selectFrom("seller_decisions").select(["id", "created_at"]).where("organization_id", "=", s.id).orderBy("id").execute();
    const events = (await outboxOf(s.id)).filter((r) => r.topic.startsWith("seller."));
    expect(events.map((e) => [e.topic, e.payload])).toEqual([
      [
        "seller.suspended",
        { organizationId: s.id, decisionId: suspended.decisionId, reason: "Counterfeit goods reported.", at: decisions[0]?.created_at.toISOString() ?? "" } satisfies SellerSuspendedPayload,
      ],
      ["seller.reinstated", { organizationId: s.id, decisionId: reinstated.decisionId, at: decisions[1]?.created_at.toISOString() ?? "" } satisfies SellerReinstatedPayload],
    ]);
    const actions = await db.selectFrom("audit_log").select(["action", "reason"]).where("organization_id", "=", s.id).orderBy("id").execute();
    expect(actions).toEqual([
      { action: "seller.suspended", reason: "Counterfeit goods reported." },
      { action: "seller.reinstated", reason: null },
    ]);
    // Approvals, rejections and questions are no domain events: only the e-mails.
    const other = await seller(db);
    await decideSeller(moderator, { organizationId: other.id, decision: "reject", message: "Not a B2B business." });
    expect((await outboxOf(other.id)).map((r) => r.topic)).toEqual(["notification.email"]);
  });

  test("everything is written in the caller's transaction: rolled back, there is no decision, audit, e-mail, notice nor event", async () => {
    const admin = await operator(db, "admin");
    const s = await seller(db, { status: "active", ownerLocales: ["en", "fr"] });
    const before = await decisionRowCounts(db);
    let written = 0;
    await expect(
      db.transaction().execute(async (trx) => {
        await decideSeller({ ...admin, db: trx }, { organizationId: s.id, decision: "suspend", message: "Fraud investigation." });
        // Inside the transaction, the decision and its outbox rows exist together...
        written = (await trx.selectFrom("outbox").select("topic").execute()).length;
        throw new Error("the request failed after the decision");
      }),
    ).rejects.toThrow("the request failed after the decision");
    expect(written).toBe(before.outbox + 3);
    // ...and they are gone together.
    expect(await decisionRowCounts(db)).toEqual(before);
    expect(await statusOf(db, s.id)).toBe("active");
  });

  test("two operators deciding at once: the row lock makes the second see the first's result", async () => {
    for (let round = 0; round < 5; round += 1) {
      const [a, b] = [await operator(db, "admin"), await operator(db, "moderator")];
      const s = await seller(db);
      const results = await Promise.allSettled([
        decideSeller(a, { organizationId: s.id, decision: "approve" }),
        decideSeller(b, { organizationId: s.id, decision: "reject", message: "Incomplete." }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
      expect(loser).toMatchObject({ code: "ILLEGAL_TRANSITION" });
      expect(await db.selectFrom("seller_decisions").select("id").where("organization_id", "=", s.id).execute()).toHaveLength(1);
    }
  });

  test("a moderator demoted to finance while the request was on its way is refused under the lock", async () => {
    const moderator = await operator(db, "moderator");
    const s = await seller(db);
    await db
      .updateTable("memberships")
      .set({ role: "finance" })
      .where("organization_id", "=", moderator.actor.organizationId)
      .where("user_id", "=", moderator.actor.userId)
      .execute();
    expect((await domainErrorOf(decideSeller(moderator, { organizationId: s.id, decision: "approve" }))).code).toBe("FORBIDDEN");
    expect(await statusOf(db, s.id)).toBe("pending");
  });

  test("the audit rows of decisions cannot be changed or deleted, even through Kysely", async () => {
    const admin = await operator(db, "admin");
    const s = await seller(db, { status: "active" });
    await decideSeller(admin, { organizationId: s.id, decision: "suspend", message: "Chargebacks." });
    const row = await db.selectFrom("audit_log").select(["id", "reason"]).where("organization_id", "=", s.id).executeTakeFirstOrThrow();
    await expect(db.updateTable("audit_log").set({ reason: "nothing to see" }).where("id", "=", row.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").where("id", "=", row.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect(await db.selectFrom("audit_log").select(["id", "reason"]).where("id", "=", row.id).executeTakeFirst()).toEqual(row);
  });

  test("the whole life of a seller: question, answer, approval, suspension, reinstatement; the history names who did what", async () => {
    const moderator = await operator(db, "moderator", "Mina Moderator");
    const admin = await operator(db, "admin", "Olga Admin");
    const s = await seller(db);
    await decideSeller(moderator, { organizationId: s.id, decision: "request_info", message: "Which VAT number?" });
    // The seller's answer (its own use case, helper A's): back to pending with its answer in the history.
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("organizations").set({ status: "pending" }).where("id", "=", s.id).execute();
      await trx
        .insertInto("seller_decisions")
        .values({ organization_id: s.id, move: "resubmit", from_status: "info_requested", to_status: "pending", message: "FR123", actor_user_id: s.owners[0]?.userId ?? null, actor_organization_id: s.id })
        .execute();
    });
    const steps: [ActorDeps, SellerDecision, string | undefined][] = [
      [admin, "approve", undefined],
      [moderator, "suspend", "Late deliveries."],
      [admin, "reinstate", undefined],
    ];
    for (const [who, decision, message] of steps) await decideSeller(who, { organizationId: s.id, decision, message });

    const review = await getSellerForReview(admin, { organizationId: s.id });
    expect(review.history.map((h) => [h.move, h.fromStatus, h.toStatus, h.message, h.actor?.name, h.actor?.side])).toEqual([
      ["request_info", "pending", "info_requested", "Which VAT number?", "Mina Moderator", "operator"],
      ["resubmit", "info_requested", "pending", "FR123", s.owners[0]?.name, "seller"],
      ["approve", "pending", "active", null, "Olga Admin", "operator"],
      ["suspend", "active", "suspended", "Late deliveries.", "Mina Moderator", "operator"],
      ["reinstate", "suspended", "active", null, "Olga Admin", "operator"],
    ]);
    expect(review.availableDecisions).toEqual(["suspend"]);
    const emails = (await outboxOf(s.id)).filter((r) => r.topic === "notification.email").map((r) => (r.payload as NotificationEmailPayload).template);
    expect(emails).toEqual(["seller.decision.request_info", "seller.decision.approve", "seller.decision.suspend", "seller.decision.reinstate"]);
  });
});
