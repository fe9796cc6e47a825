import { classifySmtpError } from '../../../../src/alerting/channels/email';
import { classifyStatus, parseRetryAfter } from '../../../../src/alerting/channels/webhook';

const smtp = (e: object) => classifySmtpError('ops', Object.assign(new Error('boom'), e));

describe('delivery error taxonomy', () => {
  it('SMTP: reply code decides first (4xx retry, 5xx never), then the nodemailer error code', () => {
    expect(
      smtp({ code: 'EENVELOPE', responseCode: 452, response: '452 mailbox full', command: 'RCPT TO' }),
    ).toMatchObject({ kind: 'transient', message: 'channel ops: transient: SMTP 452 after RCPT TO: 452 mailbox full' });
    expect(smtp({ code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }).kind).toBe('permanent');
    expect(smtp({ code: 'EAUTH', responseCode: 454, response: '454 try later' }).kind).toBe('transient');
    expect(smtp({ code: 'EAUTH' }).kind).toBe('permanent');
    expect(smtp({ code: 'ENOAUTH' }).kind).toBe('permanent');
    expect(smtp({ code: 'ECONFIG' }).kind).toBe('permanent');
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']) expect(smtp({ code }).kind).toBe('transient');
    expect(smtp({}).kind).toBe('transient');
  });

  it('SMTP: a multi-line server reply cannot smuggle newlines into the error message', () => {
    expect(smtp({ responseCode: 550, response: '550 no\r\nsuch user' }).message).not.toMatch(/[\r\n]/);
  });

  it('HTTP: Retry-After in seconds or as a date; garbage ignored', () => {
    const now = Date.parse('2026-11-27T19:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 19:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 18:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('HTTP: status classes', () => {
    const k = (s: number) => classifyStatus('p', s, {}, '', 0).kind;
    expect([410, 429, 408, 500, 502, 503, 504, 301, 302, 307, 400, 401, 403, 404, 413, 422].map(k)).toEqual([
      'gone',
      'rate-limited',
      'transient',
      'transient',
      'transient',
      'transient',
      'transient',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
      'permanent',
    ]);
  });
});
