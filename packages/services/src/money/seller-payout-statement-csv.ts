import { z } from "zod";
import { csvField } from "../audit/export-audit-log";
import type { ActorDeps } from "../deps";
import { getSellerPayoutStatement, getSellerPayoutStatementSchema } from "./get-seller-payout-statement";
import { decimalOf } from "./shared";
import { kindLabel, STATEMENT_TEXT, statementDay, statementFileName, statementLocale } from "./statement-format";

export const sellerPayoutStatementCsvSchema = getSellerPayoutStatementSchema.extend({ locale: z.unknown().optional() });
export type SellerPayoutStatementCsvInput = z.input<typeof sellerPayoutStatementCsvSchema>;

/**
 * A payout's statement (getSellerPayoutStatement, same rules: the seller's own payouts, owners only)
 * as CSV with a header row in the seller's language: one record per journal, then the totals.
 * Amounts are exact decimals in the payout's currency, a refund's negative ("-12.50"); every other
 * cell goes through csvField, so nothing a user typed can become a spreadsheet formula.
 */
export async function sellerPayoutStatementCsv(deps: ActorDeps, input: unknown): Promise<{ fileName: string; csv: string }> {
  const raw = (input ?? {}) as SellerPayoutStatementCsvInput;
  const locale = statementLocale(raw.locale);
  const statement = await getSellerPayoutStatement(deps, { payoutId: raw.payoutId });
  const currency = statement.payout.amount.currency;
  const text = STATEMENT_TEXT[locale];
  const records = statement.lines.map((line) => [
    line.journalNumber,
    kindLabel(locale, line.kind),
    line.order?.reference ?? line.failedPayout?.reference ?? "",
    line.buyer?.name ?? "",
    statementDay(line.postedAt),
    currency,
    decimalOf(line.gross.amountMinor, currency),
    decimalOf(line.commission.amountMinor, currency),
    decimalOf(line.net.amountMinor, currency),
  ]);
  records.push([
    text.total,
    "",
    statement.payout.reference,
    "",
    "",
    currency,
    decimalOf(statement.totals.gross.amountMinor, currency),
    decimalOf(statement.totals.commission.amountMinor, currency),
    decimalOf(statement.totals.net.amountMinor, currency),
  ]);
  return { fileName: statementFileName(statement.payout.reference, locale, "csv"), csv: [text.columns, ...records].map(csvRecord).join("") };
}

// An exact decimal we formatted ourselves cannot be a formula, and a spreadsheet must read "-12.50"
// as a number: csvField would make it the text "'-12.50" (its guard against "-" at the start).
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** One CSV record (RFC 4180, CRLF): decimals as they are, any other cell through csvField. */
function csvRecord(fields: readonly string[]): string {
  return `${fields.map((f) => (DECIMAL.test(f) ? f : csvField(f))).join(",")}\r\n`;
}
