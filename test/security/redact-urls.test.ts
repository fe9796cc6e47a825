/** The redactor's reading of URLs: credentials in the user-info and in key-like query parameters only. */
import { Redactor, configUrls } from '../../src/util/redact';

it('masks a key-like query value and the password, not ordinary parameters or short flags', () => {
  const r = new Redactor()
    .addUrl('https://api.example/v2/aircraft?apikey=Ab12Cd34Ef56&icao=acb2ba&auth=true')
    .addUrl('https://u:pw-Secret-9@feed.example/data?access_token=tok-0123456789');
  expect(r.mask('apikey=Ab12Cd34Ef56 icao=acb2ba auth=true pw-Secret-9 tok-0123456789')).toBe(
    'apikey=[redacted] icao=acb2ba auth=true [redacted] [redacted]',
  );
});

it('finds the URLs a config writes (any *url key, parseable values only)', () => {
  expect(
    configUrls({
      sources: [{ url: 'http://rx.local/aircraft.json?key=12345678' }, { baseUrl: 'https://a.example/api' }],
      alerts: { channels: [{ url: 'not a url' }, { smtpUrlEnv: 'SMTP_URL' }] },
    }),
  ).toEqual(['http://rx.local/aircraft.json?key=12345678', 'https://a.example/api']);
});
