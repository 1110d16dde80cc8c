import { DtwError } from "@dtw/core";
import { ArgsError, parseArgs, USAGE } from "./args.js";
import { runDemo } from "./demo.js";

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if ("help" in parsed) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // First Ctrl-C: stop the traffic, deliver what is open, print the summary. Second: quit now.
  const interrupt = new AbortController();
  process.once("SIGINT", () => {
    interrupt.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  const redisUrl = process.env.REDIS_URL;
  const result = await runDemo(
    parsed,
    process.stdout,
    redisUrl ? { kind: "redis", redisUrl } : { kind: "memory" },
    interrupt.signal,
  );
  return result.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (Redis unreachable, ...) get one line; anything else its stack.
    const text =
      error instanceof DtwError
        ? `error: ${error.message}`
        : String(error instanceof Error ? error.stack : error);
    process.stderr.write(`\n${text}\n`);
    process.exitCode = 1;
  },
);
