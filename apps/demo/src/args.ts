/** Command-line flags of the demo. */
export interface DemoOptions {
  /** How long the nodes push traffic, in seconds. @default 8 */
  durationS: number;
  /** Average total push rate over all nodes, events per second. @default 400 */
  rate: number;
  /** Simulated nodes (DistributedTimeWindow instances sharing one store). @default 4 */
  nodes: number;
  /** Seed of the traffic generator: the same seed replays the same events. @default 42 */
  seed: number;
  /** No per-window lines, only progress and the summary. @default false */
  quiet: boolean;
}

export const DEFAULTS: DemoOptions = { durationS: 8, rate: 400, nodes: 4, seed: 42, quiet: false };

export const USAGE = `Usage: npm run demo -- [flags]

Simulated nodes push bursty traffic into two shared streams and check exactly-once delivery:
  orders         tumbling windows, maxCount 50, timeout 1 s
  notifications  debounce per user ("last"), timeout 400 ms, maxWait 2 s, maxCount 25

Flags:
  --duration <s>        seconds of traffic, 0.5..60            (default ${DEFAULTS.durationS})
  --rate <events/s>     average total rate, 1..50000            (default ${DEFAULTS.rate})
  --nodes <n>           simulated nodes, 1..32                  (default ${DEFAULTS.nodes})
  --seed <n>            traffic seed, integer >= 0              (default ${DEFAULTS.seed})
  --quiet               no per-window lines
  --help                this text

Environment:
  REDIS_URL=redis://...  run each node as its own process, sharing that Redis
                         (default: nodes in this process, sharing one MemoryStore)

Exit status: 0 when every check holds, 1 when one fails (or Redis is unreachable), 2 on bad flags.`;

/** A flag the demo does not accept, or a value out of range. */
export class ArgsError extends Error {
  override readonly name = "ArgsError";
}

type NumericFlag = "durationS" | "rate" | "nodes" | "seed";

const NUMERIC: Record<string, { field: NumericFlag; min: number; max: number; integer: boolean }> =
  {
    "--duration": { field: "durationS", min: 0.5, max: 60, integer: false },
    "--rate": { field: "rate", min: 1, max: 50_000, integer: false },
    "--nodes": { field: "nodes", min: 1, max: 32, integer: true },
    "--seed": { field: "seed", min: 0, max: 2 ** 32 - 1, integer: true },
  };

/** `{ help: true }` for `--help`; otherwise the options. Throws {@link ArgsError} naming the bad flag. */
export function parseArgs(argv: readonly string[]): DemoOptions | { help: true } {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return { help: true };
    // npm/pnpm may forward the "--" that separated the script's own arguments.
    if (arg === "--") continue;
    if (arg === "--quiet") {
      options.quiet = true;
      continue;
    }
    // Accept both "--rate 500" and "--rate=500".
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg) : [arg];
    const spec = NUMERIC[flag];
    if (!spec) throw new ArgsError(`unknown flag "${arg}"`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ArgsError(`${flag} needs a value`);
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      throw new ArgsError(`${flag} must be a number, got "${raw}"`);
    }
    if (spec.integer && !Number.isInteger(value)) {
      throw new ArgsError(`${flag} must be an integer, got "${raw}"`);
    }
    if (value < spec.min || value > spec.max) {
      throw new ArgsError(`${flag} must be between ${spec.min} and ${spec.max}, got ${raw}`);
    }
    options[spec.field] = value;
  }
  return options;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}
