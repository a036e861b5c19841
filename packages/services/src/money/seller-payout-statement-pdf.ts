import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { z } from "zod";
import { format, money, type Currency } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { getSellerPayoutStatement, getSellerPayoutStatementSchema } from "./get-seller-payout-statement";
import { currencyOf } from "./shared";
import { kindLabel, STATEMENT_TEXT, statementDay, statementFileName, statementLocale, type StatementLocale } from "./statement-format";
import type { PayoutStatement } from "./views";

export const sellerPayoutStatementPdfSchema = getSellerPayoutStatementSchema.extend({ locale: z.unknown().optional() });
export type SellerPayoutStatementPdfInput = z.input<typeof sellerPayoutStatementPdfSchema>;

/**
 * A payout's statement (getSellerPayoutStatement, same rules) as a PDF (pdf-lib, A4, Helvetica):
 * the payout, then one row per journal (journal number, kind, order, buyer, date, gross, commission, net)
 * over as many pages as needed, the header repeated, then the totals. Texts in the seller's
 * language; amounts formatted for it ("1 234,50 €").
 */
export async function sellerPayoutStatementPdf(deps: ActorDeps, input: unknown): Promise<{ fileName: string; pdf: Uint8Array }> {
  const raw = (input ?? {}) as SellerPayoutStatementPdfInput;
  const locale = statementLocale(raw.locale);
  const statement = await getSellerPayoutStatement(deps, { payoutId: raw.payoutId });
  return { fileName: statementFileName(statement.payout.reference, locale, "pdf"), pdf: await renderStatementPdf(statement, locale) };
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const ROW = 16;
const SIZE = 8;
/** Column x positions and widths: journal, kind, order, buyer, date, gross, commission, net (amounts right-aligned). */
const COLUMNS = [
  { x: MARGIN, width: 36, right: false },
  { x: 78, width: 78, right: false },
  { x: 158, width: 62, right: false },
  { x: 222, width: 90, right: false },
  { x: 314, width: 50, right: false },
  { x: 366, width: 62, right: true },
  { x: 430, width: 62, right: true },
  { x: 494, width: 61, right: true },
] as const;

/**
 * Text the standard Helvetica (WinAnsi) can draw: French accents and € are in it; other characters
 * become their closest WinAnsi form (narrow no-break space → no-break space, "ł" → "l" by
 * decomposition) or "?". pdf-lib would throw on them otherwise (a seller's name in Arabic, an emoji).
 */
export function winAnsiSafe(text: string, font: PDFFont): string {
  const supported = characterSet(font);
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (supported.has(code)) out += char;
    else if (SUBSTITUTES[code] !== undefined && supported.has(SUBSTITUTES[code].codePointAt(0)!)) out += SUBSTITUTES[code];
    else {
      const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += base !== "" && [...base].every((c) => supported.has(c.codePointAt(0)!)) ? base : "?";
    }
  }
  return out;
}

const SUBSTITUTES: Record<number, string> = {
  0x202f: "\u00a0", // narrow no-break space (French thousands) → no-break space
  0x2009: " ",
  0x2007: " ",
  0x2212: "-", // minus sign
  0x2010: "-",
  0x2011: "-",
  // Letters with a stroke do not decompose.
  0x0141: "L",
  0x0142: "l",
  0x0110: "D",
  0x0111: "d",
  0x0131: "i",
};

const characterSets = new WeakMap<PDFFont, Set<number>>();
function characterSet(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) characterSets.set(font, (set = new Set(font.getCharacterSet())));
  return set;
}

/** `text` (already WinAnsi-safe) cut with an ellipsis (WinAnsi 0x85) until it fits `width`. */
function fit(text: string, font: PDFFont, width: number, size: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let cut = [...text];
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut.join("")}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut.join("")}…`;
}

export async function renderStatementPdf(statement: PayoutStatement, locale: StatementLocale): Promise<Uint8Array> {
  const text = STATEMENT_TEXT[locale];
  const { payout } = statement;
  const currency: Currency = currencyOf(payout.amount.currency);
  const amount = (minor: string) => format(money(BigInt(minor), currency), locale);
  const day = (iso: string) => new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));

  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(winAnsiSafe(`${text.title} ${payout.reference}`, regular));
  doc.setProducer("Souk");
  doc.setCreator("Souk");

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const draw = (value: string, x: number, font: PDFFont, size = SIZE, width?: number, right = false) => {
    const safe = winAnsiSafe(value, font);
    const shown = width === undefined ? safe : fit(safe, font, width, size);
    const dx = right && width !== undefined ? width - font.widthOfTextAtSize(shown, size) : 0;
    page.drawText(shown, { x: x + dx, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  };
  const row = (cells: readonly string[], font: PDFFont) => {
    cells.forEach((cell, i) => {
      const column = COLUMNS[i]!;
      draw(cell, column.x, font, SIZE, column.width, column.right);
    });
    y -= ROW;
  };
  const tableHeader = () => {
    row(text.columns.filter((_, i) => i !== 5), bold); // the currency is the payout's, shown above
    page.drawLine({ start: { x: MARGIN, y: y + ROW - 4 }, end: { x: A4[0] - MARGIN, y: y + ROW - 4 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
  };
  const newPage = () => {
    page = doc.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN;
  };

  newPage();
  draw(`${text.title} ${payout.reference}`, MARGIN, bold, 16);
  y -= 26;
  const facts: [string, string][] = [
    [text.seller, payout.seller.name],
    [text.status, text.statuses[payout.status]],
    [text.amount, amount(payout.amount.amountMinor)],
    [text.created, day(payout.createdAt)],
    ...(payout.decidedAt ? ([[text.decided, day(payout.decidedAt)]] as [string, string][]) : []),
    ...(payout.providerReference ? ([[text.providerReference, payout.providerReference]] as [string, string][]) : []),
  ];
  for (const [label, value] of facts) {
    draw(label, MARGIN, bold, 10);
    draw(value, MARGIN + 130, regular, 10, A4[0] - 2 * MARGIN - 130);
    y -= 15;
  }
  y -= 12;
  tableHeader();
  for (const line of statement.lines) {
    if (y < MARGIN + 2 * ROW) {
      newPage();
      tableHeader();
    }
    row(
      [
        line.journalNumber,
        kindLabel(locale, line.kind),
        line.order?.reference ?? line.failedPayout?.reference ?? "",
        line.buyer?.name ?? "",
        statementDay(line.postedAt),
        amount(line.gross.amountMinor),
        amount(line.commission.amountMinor),
        amount(line.net.amountMinor),
      ],
      regular,
    );
  }
  if (y < MARGIN + 2 * ROW) newPage();
  page.drawLine({ start: { x: MARGIN, y: y + ROW - 4 }, end: { x: A4[0] - MARGIN, y: y + ROW - 4 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
  row([text.total, "", "", "", "", amount(statement.totals.gross.amountMinor), amount(statement.totals.commission.amountMinor), amount(statement.totals.net.amountMinor)], bold);

  pages.forEach((p, i) => {
    page = p;
    y = MARGIN / 2;
    draw(text.page(i + 1, pages.length), MARGIN, regular, 8);
  });
  return doc.save();
}
