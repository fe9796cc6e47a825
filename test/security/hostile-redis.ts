/**
 * A hostile stand-in for Redis (RESP over TCP): it answers AUTH and HELLO with an error that quotes the
 * password it received, and every other command with a NOAUTH error quoting it again. Real Redis never
 * does this; a proxy, a fork or a debug build could, and the password must not leave the process anyway.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HostileRedis {
  port: number;
  /** Passwords it received (a leak can only be seen if the client really sent it). */
  received: string[];
  close(): Promise<void>;
}

/** Splits complete RESP arrays of bulk strings off `buf`; returns the commands and the unparsed rest. */
function parse(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    if (buf[at] !== '*') break;
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) break;
    const n = Number(buf.slice(at + 1, eol));
    let p = eol + 2;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = buf.indexOf('\r\n', p);
      if (e < 0 || buf[p] !== '$') return { commands, rest: buf.slice(at) };
      const len = Number(buf.slice(p + 1, e));
      if (buf.length < e + 2 + len + 2) return { commands, rest: buf.slice(at) };
      args.push(buf.slice(e + 2, e + 2 + len));
      p = e + 2 + len + 2;
    }
    commands.push(args);
    at = p;
  }
  return { commands, rest: buf.slice(at) };
}

export async function startHostileRedis(): Promise<HostileRedis> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    let last = '';
    s.on('data', (d: Buffer) => {
      const { commands, rest } = parse(buf + d.toString('utf8'));
      buf = rest;
      for (const [cmd, ...args] of commands) {
        const name = (cmd ?? '').toUpperCase();
        if (name === 'AUTH' || name === 'HELLO') {
          const pw = name === 'AUTH' ? args[args.length - 1] : args[args.indexOf('AUTH') + 2];
          if (pw) {
            last = pw;
            received.push(pw);
          }
          s.write(`-WRONGPASS invalid username-password pair: got '${last}'\r\n`);
        } else s.write(`-NOAUTH Authentication required (tried password '${last}')\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
