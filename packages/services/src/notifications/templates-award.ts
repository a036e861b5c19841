// import { z } from "zod";
// import { plain, safeUrl } from "./text";
// import { defineTemplate, formatDate, isoDate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of awards, approvals and orders (services/src/approvals, services/src/orders). Spread into EMAIL_TEMPLATES (templates.ts). */
export const AWARD_TEMPLATES = {} as const;
