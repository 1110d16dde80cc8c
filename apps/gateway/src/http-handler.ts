import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./body.js";
import { type Command, parseCommand, parseCommandList } from "./commands.js";
import { encodeResult, type JsonValue } from "./encode.js";
import {
  BadRequestError,
  GatewayHttpError,
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
} from "./errors.js";
import type { Logger } from "./logger.js";
import type { Outcome, RedisBackend } from "./redis-backend.js";

/** What the gateway reports after each request; handy for access logs and tests. */
export interface RequestEvent {
  method: string;
  /** Normalised path: "/", "/pipeline", "/multi-exec" or whatever unknown path was asked. */
  path: string;
  status: number;
  /** Upper-cased command names in request order (never their arguments). */
  commands: string[];
}

export interface HandlerOptions {
  backend: RedisBackend;
  checkToken: (authorization: string | undefined) => boolean;
  maxBodyBytes: number;
  logger: Logger;
  onRequest?: ((event: RequestEvent) => void) | undefined;
}

type ItemJson = { result: JsonValue } | { error: string };
interface Reply {
  status: number;
  body: unknown;
}
type Route = (body: unknown, base64: boolean) => Promise<Reply & { commands: Command[] }>;

export function createRequestHandler(options: HandlerOptions) {
  const { backend } = options;

  const routes: Record<string, Route> = {
    "/": async (body, base64) => {
      const command = parseCommand(body);
      const [outcome] = await backend.pipeline([command]);
      return { ...single(outcome, base64), commands: [command] };
    },
    "/pipeline": async (body, base64) => {
      const commands = parseCommandList(body);
      const outcomes = await backend.pipeline(commands);
      return { status: 200, body: outcomes.map((o) => item(o, base64)), commands };
    },
    "/multi-exec": async (body, base64) => {
      const commands = parseCommandList(body);
      const outcome = await backend.transaction(commands);
      if (!outcome.executed) return { status: 400, body: { error: outcome.error }, commands };
      return { status: 200, body: outcome.items.map((o) => item(o, base64)), commands };
    },
  };

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = normalisePath(req.url);
    let commands: Command[] = [];
    let reply: Reply;
    try {
      const route = routes[path];
      if (route === undefined) throw new NotFoundError(path);
      if (method !== "POST") throw new MethodNotAllowedError(method);
      if (!options.checkToken(req.headers.authorization)) throw new UnauthorizedError();
      const raw = await readBody(req, options.maxBodyBytes);
      const outcome = await route(parseJson(raw), wantsBase64(req));
      commands = outcome.commands;
      reply = outcome;
    } catch (error) {
      reply = errorReply(error, options.logger);
    }
    send(res, reply, method === "POST" ? undefined : "POST");
    options.onRequest?.({
      method,
      path,
      status: reply.status,
      commands: commands.map((c) => (c[0] ?? "").toUpperCase()),
    });
  };
}

function single(outcome: Outcome | undefined, base64: boolean): Reply {
  if (outcome === undefined) return { status: 500, body: { error: "ERR no reply" } };
  if (!outcome.ok) return { status: 400, body: { error: outcome.error } };
  return { status: 200, body: { result: encodeResult(outcome.reply, base64) } };
}

function item(outcome: Outcome, base64: boolean): ItemJson {
  return outcome.ok ? { result: encodeResult(outcome.reply, base64) } : { error: outcome.error };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new BadRequestError("ERR failed to parse command: body is not valid JSON");
  }
}

function wantsBase64(req: IncomingMessage): boolean {
  const header = req.headers["upstash-encoding"];
  return typeof header === "string" && header.trim().toLowerCase() === "base64";
}

/** Drops the query string and trailing slashes so "/pipeline/" and "/pipeline" are one route. */
function normalisePath(url: string | undefined): string {
  const pathname = (url ?? "/").split("?")[0] ?? "/";
  const trimmed = pathname.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function errorReply(error: unknown, logger: Logger): Reply {
  if (error instanceof GatewayHttpError) {
    if (error.status >= 500) logger.error(error.message);
    return { status: error.status, body: { error: error.message } };
  }
  logger.error(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return { status: 500, body: { error: "ERR internal gateway error" } };
}

function send(res: ServerResponse, reply: Reply, allow: string | undefined): void {
  const payload = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
  };
  if (allow !== undefined && reply.status === 405) headers.Allow = allow;
  // After a refused upload the rest of the body may still be in flight: do not reuse the socket.
  if (reply.status === 413) headers.Connection = "close";
  res.writeHead(reply.status, headers);
  res.end(payload);
}
