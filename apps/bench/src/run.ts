/**
 * `pnpm bench`: push throughput, latency and Redis commands per push of the Redis stores, next
 * to raw RPUSH of the same payloads in the same run, and the seed's two-round-trip approach.
 * Prints a plain-text table and writes JSON (default bench-results/bench.json).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { Admin } from "./admin.js";
import { type BenchOptions, parseArgs, USAGE, UsageError } from "./args.js";
import type { Approach, CaseContext } from "./cases.js";
import { startGatewayProcess } from "./gateway.js";
import { benchRedis } from "./redis-server.js";
import { aggregate, type CaseResult, judge, LEGEND, table } from "./report.js";
import { runSlice, type Slice } from "./slice.js";

const log = (message: string) => console.log(`[bench] ${message}`);

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const redis = await benchRedis(options.redisUrl);
  const admin = await Admin.connect(redis.url);
  const gateway = options.targets.has("upstash") ? await startGatewayProcess(redis.url) : undefined;
  const runId = `dtw-bench:${Date.now().toString(36)}`;
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info("server"))?.[1] ?? "?";
  const environment =
    `${new Date().toISOString()}: Node ${process.version}, ${availableParallelism()} CPUs, ` +
    `Redis ${redisVersion}; ${options.durationMs} ms per case in ${options.rounds} rounds`;
  log(
    `Redis ${redisVersion} at ${redis.private ? "a private redis-server" : "the given URL"}` +
      `${gateway ? `, gateway ${gateway.url}` : ""}; ${options.durationMs} ms per case in ` +
      `${options.rounds} rounds, each after ${options.warmupMs} ms of warm-up`,
  );

  const results: CaseResult[] = [];
  const problems: string[] = [];
  try {
    for (const target of ["tcp", "upstash"] as const) {
      if (!options.targets.has(target)) continue;
      const approaches: Approach[] = target === "tcp" ? ["dtw", "raw", "seed"] : ["dtw", "raw"];
      for (const inFlight of options.inFlight) {
        // Rounds interleave the approaches, so a burst of load on the machine hits all of them.
        const slices = new Map<Approach, Slice[]>(approaches.map((a) => [a, []]));
        for (let round = 1; round <= options.rounds; round++) {
          for (const approach of approaches) {
            const ctx: CaseContext = {
              redisUrl: redis.url,
              gateway,
              prefix: `${runId}:${target}:${approach}:${inFlight}:${round}:`,
            };
            const slice = await runSlice({
              target,
              approach,
              inFlight,
              durationMs: options.durationMs / options.rounds,
              warmupMs: options.warmupMs,
              ctx,
              admin,
              gateway,
            });
            await admin.deleteByPrefix(ctx.prefix);
            slices.get(approach)?.push(slice);
            log(
              `${target.padEnd(7)} ${approach.padEnd(4)} x${String(inFlight).padEnd(3)} ` +
                `round ${round}/${options.rounds}: ` +
                `${Math.round(slice.operations / slice.seconds).toLocaleString("en-US")} pushes/s` +
                `${slice.problem ? `  PROBLEM: ${slice.problem}` : ""}`,
            );
            if (slice.problem)
              problems.push(`${target} ${approach} x${inFlight}: ${slice.problem}`);
          }
        }
        for (const approach of approaches)
          results.push(aggregate(target, approach, inFlight, slices.get(approach) ?? []));
      }
    }
  } finally {
    await admin.deleteByPrefix(`${runId}:`);
    await admin.close();
    await gateway?.close();
    await redis.stop();
  }

  const verdicts = judge(results);
  const report = `${table(results)}\n\n${LEGEND}\n\n${verdicts.lines.join("\n")}\n`;
  console.log(`\n${report}`);
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  mkdirSync(dirname(out), { recursive: true });
  // The same table as text next to the JSON, for pasting into notes.
  const textOut = out.replace(/(\.json)?$/, ".txt");
  writeFileSync(textOut, `${environment}\n\n${report}`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: availableParallelism(),
        redis: { version: redisVersion, private: redis.private },
        options: { ...options, targets: [...options.targets] },
        results,
        targets: verdicts.targets,
      },
      null,
      2,
    )}\n`,
  );
  log(`results written to ${out} and ${textOut}`);
  for (const problem of problems) console.error(`[bench] PROBLEM: ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exitCode = 1;
  },
);
