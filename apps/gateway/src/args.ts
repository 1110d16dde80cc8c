import { parseArgs } from "node:util";
import { DEFAULT_HOST, DEFAULT_PORT } from "./gateway.js";

export interface CliConfig {
  port: number;
  host: string;
  redisUrl: string;
  token: string;
}

export type CliCommand = { kind: "help" } | { kind: "run"; config: CliConfig };

/** A command-line mistake; the CLI prints the message and the usage, then exits with code 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

export const USAGE = `Usage: dtw-gateway [options]

Serves the Upstash Redis REST protocol in front of a real redis-server.

Options:
  --port <n>     TCP port, 0 for a free one           (default ${DEFAULT_PORT})
  --host <addr>  interface to bind                     (default ${DEFAULT_HOST})
  --redis <url>  redis-server to forward to            (default $REDIS_URL or redis://127.0.0.1:6379)
  --token <t>    bearer token clients must send        (default $GATEWAY_TOKEN or $UPSTASH_REDIS_REST_TOKEN)
  -h, --help     show this help

Prefer the environment variables for the token: command lines are visible to other users.`;

/** Turns argv (without node and the script) and the environment into what the CLI should do. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { kind: "help" };

  const token = values.token ?? env.GATEWAY_TOKEN ?? env.UPSTASH_REDIS_REST_TOKEN ?? "";
  if (token === "") {
    throw new CliUsageError(
      "a token is required: pass --token or set GATEWAY_TOKEN / UPSTASH_REDIS_REST_TOKEN",
    );
  }
  return {
    kind: "run",
    config: {
      port: parsePort(values.port),
      host: values.host ?? DEFAULT_HOST,
      redisUrl: values.redis ?? env.REDIS_URL ?? "redis://127.0.0.1:6379",
      token,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      redis: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError(`--port must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

/** Hides the password of a redis:// URL so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable redis url>";
  }
}
