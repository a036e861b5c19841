import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { ruleSnapshotOf, type CommissionRuleSnapshot } from "./commission-rules-store";
import { journalViews, type JournalView } from "./views";
import { assertOperatorCan, existingId } from "./shared";

export const getJournalSchema = z.object({ journalId: z.unknown() });
export type GetJournalInput = z.input<typeof getJournalSchema>;

export interface JournalDetail extends JournalView {
  /** A settlement's commission rule, as frozen when it was posted; null for the other kinds. */
  rule: CommissionRuleSnapshot | null;
}

/** One journal with its entries, and for a settlement the commission rule frozen onto it (operators with read:ledger:any). */
export async function getJournal(deps: ActorDeps, input: unknown): Promise<JournalDetail> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const journalId = existingId(parseInput(getJournalSchema, input).journalId, "Journal");
  const [journal] = await journalViews(deps.db, [journalId]);
  if (!journal) throw notFound("Journal");
  const settlement = journal.kind === "settlement" ? await deps.db.selectFrom("settlements").select("rule").where("journal_id", "=", journal.id).executeTakeFirst() : undefined;
  return { ...journal, rule: settlement ? ruleSnapshotOf(settlement.rule) : null };
}
