export * from "./views";
export * from "./common";
export * from "./form-input";
export * from "./rfq-list-page";
export * from "./rfq-form";
export * from "./rfq-detail-page";
export * from "./rfq-attachments-page";
export * from "./rfq-compare-page";
