import { z } from "zod";
import { plain, safeUrl } from "./text";
import { amount, amountMinor, currency, defineTemplate, signature, text, url } from "./template-kit";

/** E-mail templates of budgets and two-level approvals (services/src/approvals/gate.ts, decide-approval.ts). Spread into EMAIL_TEMPLATES (templates.ts). */

const approvalParams = z.object({
  name: text,
  requesterName: text,
  /** What waits: "RFQ-000123 · Corrugated boxes" (the requester's words, made plain). */
  subject: text,
  amountMinor,
  currency,
  approvalUrl: url,
});

export const BUDGET_TEMPLATES = {
  /** A purchase or award over a budget (approval mode): it waits for an approver even below the thresholds. */
  "approval.over_budget": defineTemplate({
    params: approvalParams.extend({ budgetMinor: amountMinor, remainingMinor: z.string().regex(/^-?\d{1,19}$/) }),
    render: {
      en: (p) => ({
        subject: `Approval needed (over budget): ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.requesterName)} asks for your approval of ${plain(p.subject)}, for ${amount("en", p.amountMinor, p.currency)}.`,
          `It goes beyond a budget of ${amount("en", p.budgetMinor, p.currency)} (${amount("en", p.remainingMinor.replace(/^-/, ""), p.currency)} ${p.remainingMinor.startsWith("-") ? "already over" : "left"} before it), so nothing is ordered until an approver decides.`,
          "",
          "Review it, then approve or reject it with a comment:",
          safeUrl(p.approvalUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Approbation requise (budget dépassé) : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.requesterName)} demande votre approbation pour ${plain(p.subject)}, d'un montant de ${amount("fr", p.amountMinor, p.currency)}.`,
          `Ce montant dépasse un budget de ${amount("fr", p.budgetMinor, p.currency)} (${p.remainingMinor.startsWith("-") ? "déjà dépassé de" : "il restait"} ${amount("fr", p.remainingMinor.replace(/^-/, ""), p.currency)}) : rien n'est commandé avant la décision d'un approbateur.`,
          "",
          "Examinez la demande, puis approuvez-la ou rejetez-la avec un commentaire :",
          safeUrl(p.approvalUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
  /** The second level of a two-level chain: the first level approved it, this level decides. */
  "approval.second_level": defineTemplate({
    params: approvalParams.extend({ firstDeciderName: text }),
    render: {
      en: (p) => ({
        subject: `Second approval needed: ${plain(p.subject, 120)}`,
        text: [
          `Hello ${plain(p.name)},`,
          "",
          `${plain(p.firstDeciderName)} approved ${plain(p.subject)} (${amount("en", p.amountMinor, p.currency)}, asked by ${plain(p.requesterName)}) at the first level.`,
          "The amount needs a second approval: nothing is ordered until you or another member of your role decides.",
          "",
          "Review it, then approve or reject it with a comment:",
          safeUrl(p.approvalUrl),
          "",
          signature.en,
        ].join("\n"),
      }),
      fr: (p) => ({
        subject: `Seconde approbation requise : ${plain(p.subject, 120)}`,
        text: [
          `Bonjour ${plain(p.name)},`,
          "",
          `${plain(p.firstDeciderName)} a approuvé ${plain(p.subject)} (${amount("fr", p.amountMinor, p.currency)}, demandé par ${plain(p.requesterName)}) au premier niveau.`,
          "Ce montant demande une seconde approbation : rien n'est commandé avant votre décision ou celle d'un autre membre de votre rôle.",
          "",
          "Examinez la demande, puis approuvez-la ou rejetez-la avec un commentaire :",
          safeUrl(p.approvalUrl),
          "",
          signature.fr,
        ].join("\n"),
      }),
    },
  }),
};
