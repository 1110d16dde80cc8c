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
import { type Approach, type CaseContext, prepare, type Target } from "./cases.js";
import { delta, parseCommandStats } from "./commandstats.js";
import { type GatewayHandle, startGatewayProcess } from "./gateway.js";
import { percentile, runLanes } from "./measure.js";
import { benchRedis } from "./redis-server.js";
import { type CaseResult, judge, LEGEND, table } from "./report.js";

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
  log(
    `Redis ${redisVersion} at ${redis.private ? "a private redis-server" : "the given URL"}` +
      `${gateway ? `, gateway ${gateway.url}` : ""}; ${options.durationMs} ms per case after ` +
      `${options.warmupMs} ms warm-up`,
  );

  const results: CaseResult[] = [];
  const problems: string[] = [];
  try {
    for (const target of ["tcp", "upstash"] as const) {
      if (!options.targets.has(target)) continue;
      const approaches: Approach[] = target === "tcp" ? ["dtw", "raw", "seed"] : ["dtw", "raw"];
      for (const inFlight of options.inFlight) {
        for (const approach of approaches) {
          const ctx: CaseContext = {
            redisUrl: redis.url,
            gateway,
            prefix: `${runId}:${target}:${approach}:${inFlight}:`,
          };
          const result = await runCase(target, approach, inFlight, ctx, options, admin, gateway);
          results.push(result);
          if (result.problem) problems.push(`${target} ${approach} ${inFlight}: ${result.problem}`);
          await admin.deleteByPrefix(ctx.prefix);
        }
      }
    }
  } finally {
    await admin.deleteByPrefix(`${runId}:`);
    await admin.close();
    await gateway?.close();
    await redis.stop();
  }

  console.log(`\n${table(results)}\n\n${LEGEND}\n`);
  const verdicts = judge(results);
  for (const line of verdicts.lines) console.log(line);
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  mkdirSync(dirname(out), { recursive: true });
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
  log(`results written to ${out}`);
  for (const problem of problems) console.error(`[bench] PROBLEM: ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

async function runCase(
  target: Target,
  approach: Approach,
  inFlight: number,
  ctx: CaseContext,
  options: BenchOptions,
  admin: Admin,
  gateway: GatewayHandle | undefined,
): Promise<CaseResult> {
  const label = `${target.padEnd(7)} ${approach.padEnd(4)} x${String(inFlight).padEnd(3)}`;
  process.stdout.write(`[bench] ${label} warming up... `);
  const prepared = await prepare(target, approach, ctx);
  const warmup = await runLanes(inFlight, options.warmupMs, prepared.push);
  process.stdout.write(`measuring ${options.durationMs} ms... `);
  const statsBefore = parseCommandStats(await admin.info("commandstats"));
  const httpBefore = target === "upstash" ? await gateway?.stats() : undefined;
  const callsBefore = prepared.storeCalls?.();
  const sample = await runLanes(inFlight, options.durationMs, prepared.push, warmup.operations);
  const statsAfter = parseCommandStats(await admin.info("commandstats"));
  const httpAfter = target === "upstash" ? await gateway?.stats() : undefined;
  const callsAfter = prepared.storeCalls?.();
  const problem = await prepared.finish(warmup.operations + sample.operations);

  const commands = delta(statsBefore, statsAfter);
  const pushes = sample.operations;
  const sent = prepared.scriptsOnly ? commands.scripts : commands.executed;
  const result: CaseResult = {
    target,
    approach,
    inFlight,
    pushes,
    seconds: sample.seconds,
    pushesPerSecond: pushes / sample.seconds,
    p50Ms: percentile(sample.latenciesMs, 0.5),
    p99Ms: percentile(sample.latenciesMs, 0.99),
    commandsPerPush: sent / pushes,
    executedPerPush: commands.executed / pushes,
    appendsPerPush:
      callsBefore && callsAfter
        ? ((callsAfter.append ?? 0) - (callsBefore.append ?? 0)) / pushes
        : undefined,
    httpRequestsPerPush:
      httpBefore && httpAfter ? (httpAfter.requests - httpBefore.requests) / pushes : undefined,
    byCommand: commands.byCommand,
    problem,
  };
  console.log(
    `${Math.round(result.pushesPerSecond).toLocaleString("en-US")} pushes/s, ` +
      `p99 ${result.p99Ms.toFixed(2)} ms${problem ? `  PROBLEM: ${problem}` : ""}`,
  );
  return result;
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
