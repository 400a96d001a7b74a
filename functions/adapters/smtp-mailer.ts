import { createTransport, type Transporter } from 'nodemailer';
import type { Mail, Mailer } from '../ports/mailer';

/** Plain SMTP: the local stack's inbox, or any relay a regency runs itself. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
  }

  async send(mail: Mail) {
    const info = await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    return { messageId: info.messageId };
  }
}
