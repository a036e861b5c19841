export * from "./mailer";
export * from "./templates";
export * from "./deliver-email-notification";
export { plain, safeUrl } from "./text";
