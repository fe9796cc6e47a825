/**
 * A real SMTP server (smtp-server) on a FIXED loopback port, so a test can take it down (nothing listens:
 * connection refused) and bring it back on the same address the worker's SMTP_URL points at. Records the
 * alert id header (X-Flightwatch-Alert-Id) and Message-ID of every accepted message.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  alertId: string;
  messageId: string;
}

export interface SmtpOnPort {
  up(): Promise<void>;
  down(): Promise<void>;
  isUp(): boolean;
  mails: ReceivedMail[];
}

export function smtpOnPort(port: number): SmtpOnPort {
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  return {
    mails,
    isUp: () => !!server,
    async up() {
      if (server) return;
      const s = new SMTPServer({
        secure: false,
        disabledCommands: ['STARTTLS'],
        authOptional: true,
        logger: false,
        closeTimeout: 500,
        onAuth: (_a, _s, cb) => cb(null, { user: 'test' }),
        onData(stream, _session, cb) {
          simpleParser(stream).then(
            (m) => {
              const id = m.headers.get('x-flightwatch-alert-id'); // an unstructured header: a string
              mails.push({
                alertId: typeof id === 'string' ? id : '',
                messageId: m.messageId ?? '',
              });
              cb(null);
            },
            (e: Error) => cb(e),
          );
        },
      });
      s.on('error', () => undefined);
      await new Promise<void>((res, rej) => {
        s.server.once('error', rej);
        s.listen(port, '127.0.0.1', () => res());
      });
      server = s;
    },
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      // Drop open (pooled) client connections too: a server that is down does not keep sessions alive.
      const conns = (s as unknown as { connections?: Set<{ close(): void }> }).connections;
      conns?.forEach((c) => c.close());
      await new Promise<void>((res) => s.close(() => res()));
    },
  };
}
