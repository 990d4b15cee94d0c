/** A line for the person starting the server, on stderr: stdout is kept for JSON log lines. */
export function say(line: string): void {
  process.stderr.write(`[replay] ${line}\n`);
}
