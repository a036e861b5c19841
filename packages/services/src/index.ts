export * from "./deps";
export { parseInput, fieldErrorsOf } from "./input";
export * from "./audit/record-audit";
export * from "./audit/list-audit-log";
export * from "./audit/export-audit-log";
export type { Page } from "./list-input";
export * from "./outbox";
export * from "./notifications";

export * from "./identity/sign-up";
export * from "./identity/sign-in";
export * from "./identity/sign-out";
export * from "./identity/resolve-session";
export * from "./identity/switch-organization";
export * from "./identity/list-members";
export * from "./identity/invite-member";
export * from "./identity/get-invitation";
export * from "./identity/accept-invitation";
export * from "./identity/change-member-role";
export * from "./identity/remove-member";
export * from "./identity/change-password";
export * from "./identity/create-operator";
export { INVALID_CREDENTIALS_KEY } from "./identity/shared";
export * from "./vetting";
export * from "./events";

export * from "./storage";
export * from "./sellers";
export * from "./catalogue";
