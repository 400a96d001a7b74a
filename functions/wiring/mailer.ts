import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../adapters/ses-mailer';
import { SmtpMailer } from '../adapters/smtp-mailer';
import type { Mailer } from '../ports/mailer';
import { traced } from './observability';
import { setting } from './settings';

/** SES in AWS; the local stack sets MAIL_TRANSPORT=smtp and SMTP_URL (its inbox). */
export const mailer = (): Mailer => {
  const from = setting('MAIL_FROM');
  const transport = process.env.MAIL_TRANSPORT ?? 'ses';
  if (transport === 'smtp') return new SmtpMailer(setting('SMTP_URL'), from);
  if (transport !== 'ses') throw new Error(`MAIL_TRANSPORT is ${transport}: ses or smtp`);
  return new SesMailer(traced(new SESv2Client({})), from);
};
