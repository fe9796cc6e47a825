/**
 * The demo's mail server: a real SMTP server (smtp-server) on a free loopback port that accepts every
 * message and writes it, byte for byte, as an .eml file (open it with any mail client).
 */
import { SMTPServer } from 'smtp-server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface DemoSmtpSink {
  url: string;
  files: string[];
  close(): Promise<void>;
}

export async function startDemoSmtpSink(dir: string): Promise<DemoSmtpSink> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const subject = /^Subject: (.*)$/im.exec(raw.toString('utf8'))?.[1] ?? 'message';
        const slug = subject
          .replace(/=\?[^?]+\?[QB]\?/gi, '')
          .replace(/[^A-Za-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60);
        const file = join(dir, `${String(files.length + 1).padStart(2, '0')}-${slug}.eml`);
        writeFileSync(file, raw);
        files.push(file);
        cb(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return { url: `smtp://127.0.0.1:${port}`, files, close: () => new Promise<void>((r) => server.close(() => r())) };
}
