// import { z } from "zod";
// import { plain, safeUrl } from "./text";
// import { defineTemplate, formatDate, isoDate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of the buyer's RFQ use cases (services/src/rfq/buyer). Spread into EMAIL_TEMPLATES (templates.ts). */
export const RFQ_BUYER_TEMPLATES = {} as const;
