export type Mail = { to: string[]; subject: string; text: string; html: string };

/** Sends mail; SES in AWS, SMTP into the local inbox on the local stack. */
export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string }>;
}
