/** The blind alert names blindAfter as people read it: never "0 min or more" for a setting under a minute. */
import { blindFor } from '../../../src/observability/blind-watcher';

it('says seconds under a minute and minutes from one minute on', () => {
  expect([blindFor(2000), blindFor(45_000), blindFor(60_000), blindFor(15 * 60_000)]).toEqual([
    '2 s',
    '45 s',
    '1 min',
    '15 min',
  ]);
});
