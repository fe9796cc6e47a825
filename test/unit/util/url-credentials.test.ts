/** Source URLs stored in the archive (raw_replies.url) never carry a credential written inline in the config. */
import { maskUrlCredentials } from '../../../src/util/redact';

it('masks credential-named query parameters and a URL password, and keeps the rest', () => {
  expect(maskUrlCredentials('http://rx.local:8080/data/aircraft.json?token=abc123&lat=30')).toBe(
    'http://rx.local:8080/data/aircraft.json?token=[redacted]&lat=30',
  );
  expect(maskUrlCredentials('https://api.example/v2?api_key=K1&X-Api-Key=K2&access_token=T#frag')).toBe(
    'https://api.example/v2?api_key=[redacted]&X-Api-Key=[redacted]&access_token=[redacted]#frag',
  );
  expect(maskUrlCredentials('https://user:pa55word@feed.example/aircraft.json')).toBe(
    'https://user:[redacted]@feed.example/aircraft.json',
  );
  expect(maskUrlCredentials('https://opensky-network.org/api?lamin=1&monkey=2')).toBe(
    'https://opensky-network.org/api?lamin=1&monkey=2',
  );
  expect(maskUrlCredentials('not a url')).toBe('not a url');
});
