// import { z } from "zod";
// import { plain, safeUrl } from "./text";
// import { defineTemplate, formatDate, isoDate, quoted, signature, text, url } from "./template-kit";

/** E-mail templates of the seller's RFQ use cases and closing (services/src/rfq/seller). Spread into EMAIL_TEMPLATES (templates.ts). */
export const RFQ_SELLER_TEMPLATES = {} as const;
