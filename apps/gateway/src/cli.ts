#!/usr/bin/env node
import { CliUsageError, parseCli, redactUrl, USAGE } from "./args.js";
import { startGateway } from "./gateway.js";
import { consoleLogger } from "./logger.js";

async function main(): Promise<number> {
  let command: ReturnType<typeof parseCli>;
  try {
    command = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`dtw-gateway: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === "help") {
    console.log(USAGE);
    return 0;
  }

  const { config } = command;
  const gateway = await startGateway({ ...config, logger: consoleLogger });
  // The token is deliberately not printed: it came from the developer, who already has it.
  console.log(
    [
      `dtw-gateway: ${gateway.url} -> ${redactUrl(config.redisUrl)}`,
      "Point @upstash/redis (Redis.fromEnv()) at it with:",
      `  UPSTASH_REDIS_REST_URL=${gateway.url}`,
      "  UPSTASH_REDIS_REST_TOKEN=<the token given via --token / GATEWAY_TOKEN>",
    ].join("\n"),
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      console.log(`dtw-gateway: ${signal}, shutting down`);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await gateway.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`dtw-gateway: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
