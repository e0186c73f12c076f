// Where mail leaves the process: an SMTP server when SMTP_URL is set, otherwise .eml files
// under MAIL_DIR with their links logged, so a fresh install can finish its flows.
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';

export interface OutgoingMail {
  id: number;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createSmtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as object);
  return {
    async send(mail) {
      await transporter.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, messageId: undefined });
    },
    close: () => transporter.close(),
  };
}

const LINK_PATTERN = /https?:\/\/[^\s<>"]+/g;

export function createFileTransport(mailDir: string, logger: Logger): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = (await builder.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text })) as { message: Buffer };
      await fs.mkdir(mailDir, { recursive: true });
      const file = path.join(mailDir, `${String(mail.id).padStart(6, '0')}-${Date.now()}.eml`);
      await fs.writeFile(file, info.message);
      // Links are how a fresh install without SMTP completes invitations and resets.
      // Sentence punctuation after a link is not part of it (a token URL would break).
      const links = (mail.text.match(LINK_PATTERN) ?? []).map((l) => l.replace(/[.,;:!?)\]]+$/, ''));
      logger.info({ to: mail.to, subject: mail.subject, file, links }, 'mail written to file (no SMTP_URL configured)');
    },
    close: () => builder.close(),
  };
}
