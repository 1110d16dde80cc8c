/** Calls per command, from `INFO commandstats`. */
export type CommandCalls = Map<string, number>;

/** Parses `cmdstat_<name>:calls=<n>,...` lines. */
export function parseCommandStats(info: string): CommandCalls {
  const calls: CommandCalls = new Map();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

/** The bench reads these numbers with INFO: not part of any case. */
const OWN = new Set(["info"]);
/** Commands that run scripts: what a script-based store sends. */
const SCRIPT_CALLS = new Set(["evalsha", "eval", "evalsha_ro", "eval_ro"]);

export interface CommandDelta {
  /** Every command Redis executed, including those run inside scripts (without the bench's own). */
  readonly executed: number;
  /** Script calls (EVALSHA/EVAL). */
  readonly scripts: number;
  /** Per command, for the JSON report. */
  readonly byCommand: Record<string, number>;
}

export function delta(before: CommandCalls, after: CommandCalls): CommandDelta {
  let executed = 0;
  let scripts = 0;
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of after) {
    const d = calls - (before.get(name) ?? 0);
    if (d <= 0 || OWN.has(name)) continue;
    byCommand[name] = d;
    executed += d;
    if (SCRIPT_CALLS.has(name)) scripts += d;
  }
  return { executed, scripts, byCommand };
}
