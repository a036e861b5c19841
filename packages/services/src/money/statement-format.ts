import type { MoneyLocale } from "@souk/domain";
import type { StatementLine } from "./views";

/** Labels of the payout statement's CSV and PDF, in the seller's language. */

export type StatementLocale = MoneyLocale;

export function statementLocale(value: unknown): StatementLocale {
  return value === "fr" ? "fr" : "en";
}

export const STATEMENT_TEXT = {
  en: {
    title: "Payout statement",
    fileStem: "statement",
    seller: "Seller",
    status: "Status",
    created: "Created",
    decided: "Decided",
    amount: "Amount",
    providerReference: "Payment reference",
    columns: ["Journal", "Kind", "Order", "Buyer", "Date", "Currency", "Gross", "Commission", "Net"],
    total: "Total",
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    kinds: { settlement: "Settlement", refund: "Refund", payout_failed: "Failed payout returned" },
    statuses: { pending: "pending", held: "held", paid: "paid", failed: "failed" },
  },
  fr: {
    title: "Relevé de versement",
    fileStem: "releve",
    seller: "Vendeur",
    status: "Statut",
    created: "Créé le",
    decided: "Décidé le",
    amount: "Montant",
    providerReference: "Référence du paiement",
    columns: ["Écriture", "Type", "Commande", "Acheteur", "Date", "Devise", "Brut", "Commission", "Net"],
    total: "Total",
    page: (n: number, of: number) => `Page ${n} sur ${of}`,
    kinds: { settlement: "Règlement", refund: "Remboursement", payout_failed: "Versement échoué restitué" },
    statuses: { pending: "en attente", held: "suspendu", paid: "payé", failed: "échoué" },
  },
} as const satisfies Record<StatementLocale, unknown>;

export function kindLabel(locale: StatementLocale, kind: StatementLine["kind"]): string {
  return STATEMENT_TEXT[locale].kinds[kind];
}

/** The statement's day (UTC), as a date column shows it: 2026-11-27 in both languages (sorts and imports cleanly). */
export function statementDay(iso: string): string {
  return iso.slice(0, 10);
}

export function statementFileName(reference: string, locale: StatementLocale, extension: "csv" | "pdf"): string {
  return `souk-${reference.toLowerCase()}-${STATEMENT_TEXT[locale].fileStem}.${extension}`;
}
