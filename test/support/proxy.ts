import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of a Redis we own, that can cut a client's connection at an exact point
 * of the exchange: before a request reaches Redis, or after Redis ran it but before the reply
 * gets back. That is what "connection dropped mid-run" means for a push, without timing games.
 */
export class CuttingProxy {
  readonly url: string;
  readonly #server: ReturnType<typeof createServer>;
  readonly #sockets = new Set<Socket>();
  #cut: "none" | "before-request" | "after-reply" = "none";
  #onCut: (() => void) | undefined;

  private constructor(server: ReturnType<typeof createServer>, port: number) {
    this.#server = server;
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(upstreamPort: number): Promise<CuttingProxy> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    const proxy = new CuttingProxy(
      server,
      typeof address === "object" && address !== null ? address.port : 0,
    );
    server.on("connection", (client) => proxy.#pipe(client, upstreamPort));
    return proxy;
  }

  /**
   * The next request from any client is dropped (never forwarded) and its connection cut.
   * Resolves once that happened.
   */
  cutBeforeNextRequest(): Promise<void> {
    return this.#arm("before-request");
  }

  /** The next request is forwarded; when Redis answers, the connection is cut instead. */
  cutAfterNextReply(): Promise<void> {
    return this.#arm("after-reply");
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #arm(mode: "before-request" | "after-reply"): Promise<void> {
    this.#cut = mode;
    return new Promise((resolve) => {
      this.#onCut = resolve;
    });
  }

  #pipe(client: Socket, upstreamPort: number): void {
    const upstream = connect({ host: "127.0.0.1", port: upstreamPort });
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      this.#cut = "none";
      this.#onCut?.();
      this.#onCut = undefined;
    };
    let awaitingReply = false;
    client.on("data", (chunk) => {
      if (this.#cut === "before-request") return cut();
      if (this.#cut === "after-reply") awaitingReply = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (awaitingReply) return cut();
      client.write(chunk);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on("close", () => {
        this.#sockets.delete(a);
        b.destroy();
      });
      a.on("error", () => b.destroy());
    }
  }
}
