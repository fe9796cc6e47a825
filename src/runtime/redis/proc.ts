/** What Linux' /proc says about a process: enough to tell an orphaned redis-server from a worker's child. */
import { readFileSync } from 'node:fs';

export interface ProcStat {
  /** The executable's name (at most 15 characters). */
  comm: string;
  /** One letter: R running, S sleeping, Z zombie, X dead, … */
  state: string;
  ppid: number;
}

/** The name, state letter and parent pid of a process; undefined when it is gone or not on Linux. */
export function procStat(pid: number | 'self'): ProcStat | undefined {
  let s: string;
  try {
    s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(s);
}

/** `pid (comm) state ppid …`; comm may hold spaces and parentheses, so it ends at the last ')'. */
export function parseProcStat(s: string): ProcStat | undefined {
  const open = s.indexOf('(');
  const close = s.lastIndexOf(')');
  const [state, ppid] = s.slice(close + 2).split(' ');
  if (open < 0 || close < open || !state || !ppid) return undefined;
  return { comm: s.slice(open + 1, close), state, ppid: Number(ppid) };
}

/** A process that has exited (or is a zombie nobody reaps: an orphan's parent may be an init that does not). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const st = procStat(pid);
  return st?.state === 'Z' || st?.state === 'X';
}
