/** Command-line options of `pnpm bench`. */
export interface BenchOptions {
  /** Timed part of each case. */
  readonly durationMs: number;
  /** Each case's duration is split into this many rounds, interleaved with the other cases. */
  readonly rounds: number;
  /** Untimed run before each round (connections, script cache, JIT). */
  readonly warmupMs: number;
  readonly inFlight: readonly number[];
  /** Existing Redis to use; by default a private redis-server is started (clean command stats). */
  readonly redisUrl: string | undefined;
  readonly targets: ReadonlySet<"tcp" | "upstash">;
  /** Where the JSON results go. */
  readonly out: string;
}

export const USAGE = `Usage: pnpm bench [-- options]
  --duration <time>     timed part of each case: 3s, 1500ms, 10     (default 3s)
  --rounds <n>          split each case into n interleaved rounds    (default 3)
  --warmup <time>       untimed warm-up before each round            (default 300ms)
  --in-flight <list>    pushes awaiting the store at once            (default 1,16,64)
  --redis <url>         use this Redis instead of a private redis-server
                        (command counts then include other clients' traffic)
  --only <tcp|upstash>  run one store only
  --out <file>          JSON results                                 (default bench-results/bench.json)`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): BenchOptions | "help" {
  const options = {
    durationMs: 3_000,
    rounds: 3,
    warmupMs: 300,
    inFlight: [1, 16, 64],
    redisUrl: undefined as string | undefined,
    targets: new Set<"tcp" | "upstash">(["tcp", "upstash"]),
    out: "bench-results/bench.json",
  };
  // `pnpm --filter x start -- --flag` passes the "--" through.
  const args = argv.filter((a) => a !== "--");
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    if (flag === "--help" || flag === "-h") return "help";
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case "--duration":
        options.durationMs = duration(flag, value);
        break;
      case "--warmup":
        options.warmupMs = duration(flag, value, true);
        break;
      case "--rounds": {
        const rounds = Number(value);
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100)
          throw new UsageError(`--rounds: ${JSON.stringify(value)} is not an integer in 1..100`);
        options.rounds = rounds;
        break;
      }
      case "--in-flight":
        options.inFlight = value.split(",").map((n) => {
          const parsed = Number(n);
          if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10_000)
            throw new UsageError(`--in-flight: ${JSON.stringify(n)} is not an integer in 1..10000`);
          return parsed;
        });
        break;
      case "--redis":
        if (!/^rediss?:\/\//.test(value)) throw new UsageError("--redis: expected a redis:// URL");
        options.redisUrl = value;
        break;
      case "--only":
        if (value !== "tcp" && value !== "upstash")
          throw new UsageError(`--only: ${JSON.stringify(value)} is not tcp or upstash`);
        options.targets = new Set([value]);
        break;
      case "--out":
        options.out = value;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return options;
}

function duration(flag: string, text: string, allowZero = false): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === "s" ? 1000 : match[2] ? 1 : 1000) : NaN;
  if (!(ms > 0 || (allowZero && ms === 0)) || ms > 600_000) {
    throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a duration like 3s or 500ms`);
  }
  return ms;
}
