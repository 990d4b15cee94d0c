/** CPU time of processes and of the whole machine so far, read from Linux's /proc. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Whether this system has the /proc files the functions below read. */
export const HAS_PROC = fs.existsSync('/proc/stat');

let ticksPerSecond: number | undefined;

/** /proc counts CPU time in clock ticks, whose length the system sets (usually 100 a second). */
function ticks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat (or a thread's `file`) after the command name, which may itself hold spaces: [0] is field 3, the state. */
function statFields(pid: number, file = `/proc/${pid}/stat`): string[] | null {
  try {
    const stat = fs.readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // The process ended between listing /proc and reading it.
    return null;
  }
}

/** CPU seconds used so far by process `pid` and the children it has waited for. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  // utime, stime, cutime, cstime: fields 14-17.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ticks();
}

/** CPU seconds used so far by the main thread of process `pid` and by all its other threads together. */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const f = statFields(Number(tid), `/proc/${pid}/task/${tid}/stat`);
    if (!f) continue;
    const seconds = (Number(f[11]) + Number(f[12])) / ticks();
    if (Number(tid) === pid) main += seconds;
    else others += seconds;
  }
  return { main, others };
}

function pids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The pid of the PostgreSQL postmaster listening on `port`, found by its command line. */
export function postmasterPid(port: number): number {
  for (const pid of pids()) {
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const p = args.indexOf('-p');
    if (args[0].endsWith('/postgres') && p >= 0 && args[p + 1] === String(port)) return pid;
  }
  throw new Error(`no postgres process listening on port ${port}`);
}

/**
 * CPU seconds of a PostgreSQL server so far: the postmaster, the backends it has reaped and the
 * ones alive (connections, checkpointer, WAL writer, autovacuum).
 */
export function postgresCpuSeconds(postmaster: number): number {
  const children = pids().filter((pid) => statFields(pid)?.[1] === String(postmaster));
  return children.reduce((sum, pid) => sum + processCpuSeconds(pid), processCpuSeconds(postmaster));
}

/** Seconds the machine's cores have been busy so far, all cores together. */
export function machineBusySeconds(): number {
  const [, ...times] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: all but idle and iowait is work.
  const [user, nice, system, , , irq, softirq, steal] = times.map(Number);
  return (user + nice + system + irq + softirq + steal) / ticks();
}
