import fs from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ), 100 on Linux. */
const TICKS_PER_S = 100;

/** CPU seconds (user + system) a live process has used so far, read from /proc; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces) in parentheses: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** The process whose command line holds every one of `parts` (a child this test started), if any. */
export function findProcess(parts: readonly string[]): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (parts.every((part) => cmdline.includes(part))) return Number(entry);
  }
  return undefined;
}
