import { z } from "zod";
import { invalidateSession } from "@souk/auth";
import { withTransaction } from "@souk/db";
import { recordAudit } from "../audit/record-audit";
import type { SessionDeps } from "../deps";
import { parseInput } from "../input";
import { lockCallerSession } from "./shared";

export const signOutSchema = z.object({});

/** Ends the current session (the app also clears the cookie). Signing out twice is harmless. */
export async function signOut(deps: SessionDeps, input: unknown = {}): Promise<void> {
  parseInput(signOutSchema, input);
  const { session, request } = deps;
  await withTransaction(deps.db, async (trx) => {
    const row = await lockCallerSession(trx, session);
    if (!row) return;
    await invalidateSession(trx, session.id);
    await recordAudit(trx, {
      actor: { userId: session.userId, organizationId: row.active_organization_id },
      action: "auth.sign_out",
      ip: request.ip,
      data: { app: request.app },
    });
  });
}
