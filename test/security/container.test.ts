/**
 * Security: the image runs as a non-root user. Parses the Dockerfile: the final stage (after the last FROM)
 * must switch to a USER that is neither root nor uid 0, and nothing after that USER switches back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: m[1].toUpperCase(), args: m[2].trim() };
    });
}

it('the final stage of the Dockerfile runs as a non-root USER', () => {
  const ins = instructions(readFileSync(resolve(__dirname, '../../Dockerfile'), 'utf8'));
  const lastFrom = ins.map((i) => i.op).lastIndexOf('FROM');
  expect(lastFrom).toBeGreaterThanOrEqual(0);
  const finalStage = ins.slice(lastFrom + 1);
  const users = finalStage.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
  expect(users.length).toBeGreaterThan(0);
  const effective = users[users.length - 1];
  expect(['root', '0', '']).not.toContain(effective);
  // The process starts after the last USER: CMD/ENTRYPOINT come later or are inherited by it.
  const lastUser = finalStage.map((i) => i.op).lastIndexOf('USER');
  expect(finalStage.slice(lastUser + 1).some((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT')).toBe(true);
});
