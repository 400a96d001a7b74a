import { simpleParser } from 'mailparser';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export type InboxMessage = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  date: string;
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The local stand-in for SES: an SMTP server that keeps every message (on disk, across restarts)
 * and a small web inbox to read them, with the list as JSON for scripts and tests.
 */
export async function startMailInbox(options: {
  smtpPort: number;
  webPort: number;
  dataDir: string;
  log: (line: string) => void;
}) {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'messages.json');
  let messages: InboxMessage[] = [];
  try {
    messages = JSON.parse(readFileSync(file, 'utf-8')) as InboxMessage[];
  } catch {
    /* empty inbox */
  }
  const save = () => writeFileSync(file, JSON.stringify(messages));

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          messages.push({
            id: randomUUID(),
            // mailFrom is the envelope's sender address (false when none was given).
            from: mail.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            date: new Date().toISOString(),
          });
          save();
          options.log(`mail to ${to.join(', ')}: ${mail.subject}`);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(options.smtpPort, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const web: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/messages' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(JSON.stringify(messages));
    }
    if (url.pathname === '/messages' && req.method === 'DELETE') {
      messages = [];
      save();
      res.writeHead(204);
      return res.end();
    }
    const one = url.pathname.match(/^\/messages\/([^/]+)$/);
    if (one) {
      const m = messages.find((x) => x.id === one[1]);
      if (!m) {
        res.writeHead(404);
        return res.end('not found');
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(m.html || `<pre>${esc(m.text)}</pre>`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const rows = [...messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${esc(m.date.replace('T', ' ').slice(0, 19))}</td><td>${esc(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${esc(m.subject)}</a></td></tr>`,
      )
      .join('');
    res.end(`<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Kotak surat lokal - Jaring</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>Kotak surat lokal</h1><p>Email yang dikirim Jaring di tumpukan lokal (pengganti SES). <a href="/messages">JSON</a></p>
<table><tr><th>Waktu</th><th>Kepada</th><th>Subjek</th></tr>${rows}</table></body></html>`);
  });
  await new Promise<void>((resolve) => web.listen(options.webPort, '127.0.0.1', resolve));
  const webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    web: webUrl,
    messagesUrl: `${webUrl}/messages`,
    messages: () => messages,
    stop: async () => {
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
