import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourcesOf } from "../../i18n/message-key-scan.server";

/** Names the sources use that are not messages: the digest's template, the audit action, the outbox job. */
const NOT_MESSAGES = new Set(["conversation.digest", "conversation.read", "conversation.reported", "notification.email"]);

describe("conversation messages", () => {
  it("translate, in English and French, every message key the conversation services produce", () => {
    const keys = messageKeysIn(sourcesOf("services/src/conversations"), ["conversation.", "conversationAttachment."]).filter((k) => !NOT_MESSAGES.has(k));
    expect(keys).toEqual(expect.arrayContaining(["conversation.body_required", "conversation.report_reason_required", "conversation.filter.page_invalid"]));
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
    // The file errors are built from the "conversationAttachment" prefix (checkUploadedDocument).
    for (const reason of ["required", "empty", "too_large", "type_not_allowed", "unavailable"]) {
      expect(Object.hasOwn(en, `conversationAttachment.${reason}`), reason).toBe(true);
      expect(Object.hasOwn(fr, `conversationAttachment.${reason}`), reason).toBe(true);
    }
  });

  it("label the moderator's reading and a participant's report in the audit log", () => {
    expect(en["audit.action.conversation.read"]).toBe("Conversation read by a moderator");
    expect(fr["audit.action.conversation.read"]).toBe("Conversation lue par un modérateur");
    expect(en["audit.action.conversation.reported"]).toBe("Conversation reported to the moderators");
    expect(fr["audit.action.conversation.reported"]).toBe("Conversation signalée aux modérateurs");
  });
});
