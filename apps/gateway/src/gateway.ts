import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTokenCheck } from "./auth.js";
import { createRequestHandler, type RequestEvent } from "./http-handler.js";
import { type Logger, quietLogger } from "./logger.js";
import { connectRedis } from "./redis-backend.js";

export interface GatewayOptions {
  /** TCP port; 0 picks a free one. Default 8079 (SRH's usual port). */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: a dev gateway should not be reachable from the LAN. */
  host?: string;
  /** Default `process.env.REDIS_URL`, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Bearer token clients must present (`UPSTASH_REDIS_REST_TOKEN` on their side). */
  token: string;
  /** Largest accepted request body. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Dedicated Redis connections for MULTI/EXEC and blocking commands. Default 8. */
  maxDedicatedConnections?: number;
  logger?: Logger;
  /** Called after every response; receives no token and no command arguments. */
  onRequest?: (event: RequestEvent) => void;
}

export interface Gateway {
  /** Base URL to give `@upstash/redis` as `url`, e.g. http://127.0.0.1:8079 */
  url: string;
  port: number;
  /** Stops accepting requests, drops open HTTP connections and closes Redis connections. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8079;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? quietLogger;
  const host = options.host ?? DEFAULT_HOST;
  const checkToken = createTokenCheck(options.token);
  const backend = await connectRedis({
    url: options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    logger,
    maxDedicatedConnections: options.maxDedicatedConnections ?? 8,
  });

  const handle = createRequestHandler({
    backend,
    checkToken,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    logger,
    onRequest: options.onRequest,
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // handle() answers every request itself; reaching here means the socket broke mid-reply.
      logger.error(`response failed: ${error instanceof Error ? error.message : String(error)}`);
      res.destroy();
    });
  });

  try {
    await listen(server, options.port ?? DEFAULT_PORT, host);
  } catch (error) {
    await backend.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info(`listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive sockets (the client keeps them by default) would hold close() open.
        server.closeAllConnections();
        await stopped;
        await backend.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
