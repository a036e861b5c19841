import { z } from "zod";
import { isCurrency, money, toDecimalString, type Currency } from "@souk/domain";
import { toCsv } from "../../audit/export-audit-log";
import type { ActorDeps } from "../../deps";
import { getRfqComparison, getRfqComparisonSchema } from "./get-rfq-comparison";

export const exportRfqComparisonCsvSchema = getRfqComparisonSchema.extend({ locale: z.unknown().optional() });
export type ExportRfqComparisonCsvInput = z.input<typeof exportRfqComparisonCsvSchema>;

const HEADERS = {
  en: [
    "Reference", "Line", "Description", "Quantity asked", "Unit", "Seller", "Quantity offered", "Currency", "Unit price", "Line total", "Best price on line",
    "Offer total", "Lead time (days)", "Valid until", "Completed orders", "On-time rate (%)", "Disputes", "Price score", "Lead-time score", "Track-record score", "Score", "Rank",
  ],
  fr: [
    "Référence", "Ligne", "Désignation", "Quantité demandée", "Unité", "Vendeur", "Quantité offerte", "Devise", "Prix unitaire", "Total ligne", "Meilleur prix de la ligne",
    "Total de l'offre", "Délai (jours)", "Valide jusqu'au", "Commandes terminées", "Taux de ponctualité (%)", "Litiges", "Score prix", "Score délai", "Score historique", "Score", "Rang",
  ],
} as const;

const YES = { en: "yes", fr: "oui" } as const;

/** A share in [0, 1] as a percentage with two decimals ("87.50"): machine-readable in both languages. */
const percent = (share: number) => (Math.round(share * 10_000) / 100).toFixed(2);

/**
 * The comparison (getRfqComparison, same rules: closed or awarded RFQs of the buyer only, the same
 * weights from the query) as CSV with a header row in the buyer's language: one record per offer
 * and line it bids on, columns by rank then by line. Amounts are exact decimals in the RFQ's
 * currency; names typed by sellers can never become spreadsheet formulas (csvField).
 */
export async function exportRfqComparisonCsv(deps: ActorDeps, input: unknown): Promise<{ fileName: string; csv: string }> {
  const raw = (input ?? {}) as ExportRfqComparisonCsvInput;
  const locale = raw.locale === "fr" ? "fr" : "en";
  const comparison = await getRfqComparison(deps, raw);
  const currency = comparison.rfq.currency;
  const decimal = (amountMinor: string) => (isCurrency(currency) ? toDecimalString(money(BigInt(amountMinor), currency as Currency)) : amountMinor);

  const records: string[][] = [];
  for (const [column, offer] of comparison.offers.entries()) {
    for (const line of comparison.lines) {
      const cell = line.cells[column];
      if (!cell) continue;
      records.push([
        comparison.rfq.reference,
        String(line.position + 1),
        line.description,
        String(line.quantity),
        line.unit,
        offer.seller.name,
        String(cell.quantity),
        currency,
        decimal(cell.unitPrice.amountMinor),
        decimal(cell.lineTotal.amountMinor),
        cell.best ? YES[locale] : "",
        decimal(offer.total.amountMinor),
        String(offer.leadTimeDays),
        offer.validUntil.slice(0, 10),
        String(offer.trackRecord.completedOrders),
        offer.trackRecord.completedOrders === 0 ? "" : percent(offer.trackRecord.onTimeRate),
        String(offer.trackRecord.disputes),
        percent(offer.score.price),
        percent(offer.score.leadTime),
        percent(offer.score.trackRecord),
        percent(offer.score.total),
        String(offer.score.rank),
      ]);
    }
  }
  const fileName = `souk-${comparison.rfq.reference.toLowerCase()}-${locale === "fr" ? "comparatif" : "comparison"}.csv`;
  return { fileName, csv: toCsv(HEADERS[locale], records) };
}
