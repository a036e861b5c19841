export * from "./mailer";
export * from "./templates";
export * from "./transport";
export * from "./deliver-email-notification";
export { plain, REDACTED, redactSecret, safeUrl } from "./text";
export * from "./notify-members";
