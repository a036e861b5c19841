/**
 * Thrown when an offer write guarded by what it read (the offer row, read in the statement that
 * took the RFQ's lock, with that statement's snapshot) found the row changed and wrote nothing:
 * the caller runs its transaction again, which reads the row afresh.
 */
export class StaleOfferState extends Error {
  override readonly name = "StaleOfferState";
}

/** Runs `attempt` again (up to `tries` times in all) while it fails with StaleOfferState. */
export async function retryStale<T>(attempt: () => Promise<T>, tries = 10): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleOfferState) || i >= tries) throw error;
    }
  }
}
