/**
 * V8's own answer to "do these objects share a hidden class?" (%HaveSameMap). It needs natives syntax, which a
 * function compiled after the flag is set may use. For tests of hot-path objects: a hidden class per object
 * costs old-generation memory per object and makes the code that reads them megamorphic.
 */
import { setFlagsFromString } from 'node:v8';

let check: ((a: object, b: object) => boolean) | undefined;

export function sameHiddenClass(a: object, b: object): boolean {
  if (!check) {
    setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    check = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
  }
  return check(a, b);
}
