/** The "no Redis" message advises what works where the worker runs: inside our image, a container, a host. */
import { RedisUnavailableError, runningInContainer } from '../../../src/runtime/redis/resolved-redis';

const none = () => false;

it('our image (FLIGHTWATCH_CONTAINER=1) is told apart from a detected container and a host', () => {
  expect(runningInContainer({ FLIGHTWATCH_CONTAINER: '1' }, none)).toBe('image');
  expect(runningInContainer({}, (f) => f === '/.dockerenv')).toBe('detected');
  expect(runningInContainer({}, (f) => f === '/run/.containerenv')).toBe('detected');
  expect(runningInContainer({ FLIGHTWATCH_CONTAINER: '0' }, none)).toBe('host');
});

it('inside the image: REDIS_URL and compose, no package install', () => {
  const m = new RedisUnavailableError('REDIS_URL is not set', 'image').message;
  expect(m).toMatch(/^No Redis available \(REDIS_URL is not set\)/);
  expect(m).toMatch(/REDIS_URL=redis:\/\/redis:6379/);
  expect(m).toMatch(/docker compose up -d/);
  expect(m).not.toMatch(/apt-get|brew/);
});

it('in another container (maybe a development one): container advice first, the install kept', () => {
  const m = new RedisUnavailableError('x', 'detected').message;
  expect(m.indexOf('REDIS_URL=redis://redis:6379')).toBeLessThan(m.indexOf('apt-get install redis-server'));
});

it('on a host: install redis-server, REDIS_URL or compose', () => {
  const m = new RedisUnavailableError('x', 'host').message;
  expect(m).toMatch(/apt-get install redis-server/);
  expect(m).toMatch(/REDIS_URL=redis:\/\/127\.0\.0\.1:6379/);
  expect(m).not.toMatch(/container/);
});
