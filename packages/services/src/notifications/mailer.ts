/** One e-mail, plain text only: nothing user-supplied is ever interpreted as HTML. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing e-mail port. The worker provides the adapter (nodemailer: SMTP, or a transport that
 * writes the message to the log in development and tests). `send` resolves once the transport has
 * accepted the message and rejects on any failure, so the job is retried.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
