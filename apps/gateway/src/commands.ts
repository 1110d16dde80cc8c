import { BadRequestError } from "./errors.js";

/** One Redis command as sent to the server: name first, every argument already a string. */
export type Command = readonly string[];

/**
 * Parses the body of `POST /`: a JSON array whose first item is the command name.
 *
 * The client sends numbers as JSON numbers and non-primitive values JSON-stringified; anything
 * that is still not a string here is stringified the same way, because Redis only sees bytes.
 */
export function parseCommand(value: unknown): Command {
  if (!Array.isArray(value)) {
    throw new BadRequestError("ERR failed to parse command: body must be a JSON array");
  }
  if (value.length === 0) {
    throw new BadRequestError("ERR failed to parse command: empty command");
  }
  const [name, ...args] = value as unknown[];
  if (typeof name !== "string" || name.length === 0) {
    throw new BadRequestError("ERR failed to parse command: command name must be a string");
  }
  return [name, ...args.map(toArgument)];
}

/** Parses the body of `/pipeline` and `/multi-exec`: a non-empty array of command arrays. */
export function parseCommandList(value: unknown): Command[] {
  if (!Array.isArray(value)) {
    throw new BadRequestError("ERR failed to parse pipeline: body must be a JSON array");
  }
  if (value.length === 0) {
    throw new BadRequestError("ERR failed to parse pipeline: empty pipeline");
  }
  return value.map((item, index) => {
    try {
      return parseCommand(item);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BadRequestError(`${reason} (pipeline item ${index})`);
    }
  });
}

function toArgument(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // null, arrays and objects: the same text the client would have produced.
  return JSON.stringify(value);
}

/**
 * Commands that would change the state of a shared connection (selected db, auth, reply mode,
 * pub/sub or monitor mode, an open transaction or WATCH). Over a stateless REST call they can
 * only corrupt the connection for the next request, so they are refused up front.
 */
const CONNECTION_STATE_COMMANDS = new Set([
  "AUTH",
  "HELLO",
  "SELECT",
  "RESET",
  "QUIT",
  "MONITOR",
  "SYNC",
  "PSYNC",
  "REPLCONF",
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "SUNSUBSCRIBE",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
]);

const CONNECTION_STATE_CLIENT_SUBCOMMANDS = new Set([
  "REPLY",
  "TRACKING",
  "CACHING",
  "SETNAME",
  "SETINFO",
  "NO-EVICT",
  "NO-TOUCH",
]);

/** Returns why the gateway refuses `command`, or undefined when it may be sent to Redis. */
export function refusalReason(command: Command): string | undefined {
  const name = command[0]?.toUpperCase() ?? "";
  const sub = command[1]?.toUpperCase() ?? "";
  if (
    CONNECTION_STATE_COMMANDS.has(name) ||
    (name === "CLIENT" && CONNECTION_STATE_CLIENT_SUBCOMMANDS.has(sub))
  ) {
    const shown = name === "CLIENT" ? `${name} ${sub}` : name;
    return `ERR command '${shown}' is not supported by the REST gateway`;
  }
  return undefined;
}

const BLOCKING_COMMANDS = new Set([
  "BLPOP",
  "BRPOP",
  "BRPOPLPUSH",
  "BLMOVE",
  "BLMPOP",
  "BZPOPMIN",
  "BZPOPMAX",
  "BZMPOP",
  "WAIT",
  "WAITAOF",
]);

/**
 * True for commands that may park the connection server-side. Those must not run on the
 * shared connection, where every other request's replies queue up behind them.
 */
export function isBlocking(command: Command): boolean {
  const name = command[0]?.toUpperCase() ?? "";
  if (BLOCKING_COMMANDS.has(name)) return true;
  if (name === "XREAD" || name === "XREADGROUP") {
    return command.some((arg, i) => i > 0 && arg.toUpperCase() === "BLOCK");
  }
  return false;
}
