/**
 * A real SMTP server on a free loopback port (smtp-server, no TLS, any or no auth) that collects and parses (cid: links kept as written)
 * every message it accepts, and can be told to answer a given SMTP code (421, 550, …) at MAIL FROM, RCPT TO
 * or end of DATA for the next messages.
 */
import { EventEmitter } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { whenEvent, type WaitOptions } from './wait';

export type SmtpStage = 'mail' | 'rcpt' | 'data';

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:<port> — put it in the env var the channel reads. */
  url: string;
  messages: ParsedMail[];
  raw: Buffer[];
  /** Answer `code` at `stage` for the next `times` attempts (default: until cleared with `fail(null)`). */
  fail(code: number | null, opts?: { stage?: SmtpStage; message?: string; times?: number }): void;
  /** 'message' for every message accepted. */
  events: EventEmitter;
  /** Resolves once `pred(messages)` holds, checked at once and on every accepted message. */
  waitFor(what: string, pred: (messages: ParsedMail[]) => boolean, opts?: WaitOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  let failure: { code: number; stage: SmtpStage; message: string; times: number } | null = null;
  const messages: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const events = new EventEmitter();

  const maybeFail = (stage: SmtpStage): Error | null => {
    if (!failure || failure.stage !== stage || failure.times <= 0) return null;
    failure.times--;
    const err = new Error(failure.message) as Error & { responseCode: number };
    err.responseCode = failure.code;
    return err;
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
    onMailFrom: (_a, _s, cb) => cb(maybeFail('mail') ?? undefined),
    onRcptTo: (_a, _s, cb) => cb(maybeFail('rcpt') ?? undefined),
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const err = maybeFail('data');
        if (err) return cb(err);
        const buf = Buffer.concat(chunks);
        simpleParser(buf, { keepCidLinks: true }).then(
          (parsed) => {
            raw.push(buf);
            messages.push(parsed);
            events.emit('message', parsed);
            cb(null);
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    raw,
    fail(code, opts = {}) {
      failure =
        code === null
          ? null
          : {
              code,
              stage: opts.stage ?? 'rcpt',
              message: opts.message ?? `test sink answers ${code}`,
              times: opts.times ?? Infinity,
            };
    },
    events,
    async waitFor(what, pred, opts) {
      await whenEvent(what, events, 'message', () => pred(messages), {
        detail: () => `${messages.length} messages so far`,
        ...opts,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
