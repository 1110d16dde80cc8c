import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../src/signature.js";

export interface ReceivedWindow {
  id: string;
  stream: string;
  key: string;
  elements: unknown[];
  openedAt: number;
  closedAt: number;
  reason: string;
  attempt: number;
}

export interface Delivery {
  /** `x-dtw-window-id` header. */
  headerId: string;
  signatureValid: boolean;
  window: ReceivedWindow;
  /** Status the receiver answered with. */
  status: number;
}

/**
 * A webhook endpoint on 127.0.0.1 that checks every signature with the exported helper and
 * answers what `respond` says (default 200).
 */
export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Requests received and not answered yet. */
  pending: number;
  respond: (window: ReceivedWindow) => number | Promise<number>;
  /** Resolves once `predicate` holds (checked after every delivery); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(secret: string): Promise<Receiver> {
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: "",
    deliveries: [],
    pending: 0,
    respond: () => 200,
    until(predicate, timeoutMs = 10_000) {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const raw = await readRaw(req);
    const window = JSON.parse(raw) as ReceivedWindow;
    const signatureValid = await verifySignature(
      secret,
      raw,
      req.headers["x-dtw-signature"] as string | undefined,
    );
    receiver.pending++;
    notify();
    const status = signatureValid ? await receiver.respond(window) : 401;
    receiver.pending--;
    receiver.deliveries.push({
      headerId: String(req.headers["x-dtw-window-id"]),
      signatureValid,
      window,
      status,
    });
    res.writeHead(status).end();
    notify();
  });
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  server.keepAliveTimeout = 1000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
