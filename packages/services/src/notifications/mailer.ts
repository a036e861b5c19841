/** One e-mail, plain text only: nothing user-supplied is ever interpreted as HTML. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * The same message with its secret parameters (one-time links) redacted. A transport that
   * writes messages anywhere but to the recipient (a log, a debug sink) writes this one.
   */
  redacted: { subject: string; text: string };
}

/**
 * Outgoing e-mail port. The worker provides the adapter (nodemailer: SMTP, or a transport that
 * writes the message to the log in development and tests). `send` resolves once the transport has
 * accepted the message and rejects on any failure, so the job is retried.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
