import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy between the gateway and Redis that can hold back Redis' replies.
 *
 * It proves pipelining without timing guesses: while replies are held, a client that waits
 * for reply k before writing command k+1 can never get past the first command, so reaching
 * `count` commands with zero replies delivered is only possible if they were all written
 * up front, i.e. pipelined.
 */
export interface RespProxy {
  /** The Redis URL to give the gateway instead of the real one. */
  url: string;
  /**
   * Withholds replies on every proxied connection until `count` more commands have arrived
   * from the client side, then releases them all. Resolves with the number of commands seen
   * while holding (at least `count`; more only if one chunk completed several).
   */
  holdRepliesUntil(count: number): Promise<number>;
  close(): Promise<void>;
}

export async function startRespProxy(redisUrl: string): Promise<RespProxy> {
  const target = new URL(redisUrl);
  const links = new Set<Link>();
  let hold: { remaining: number; seen: number; release: () => void } | undefined;

  const server = createServer((downstream) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    const link = new Link(downstream, upstream);
    links.add(link);
    const counter = new RespCommandCounter();
    downstream.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      const complete = counter.feed(chunk);
      if (hold === undefined) return;
      hold.seen += complete;
      hold.remaining -= complete;
      if (hold.remaining <= 0) hold.release();
    });
    upstream.on("data", (chunk: Buffer) => link.fromRedis(chunk, hold !== undefined));
    const drop = () => {
      links.delete(link);
      link.destroy();
    };
    downstream.on("close", drop);
    upstream.on("close", drop);
    downstream.on("error", drop);
    upstream.on("error", drop);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const proxied = new URL(redisUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);

  return {
    url: proxied.toString(),
    holdRepliesUntil(count) {
      return new Promise((resolve) => {
        const state = {
          remaining: count,
          seen: 0,
          release: () => {
            hold = undefined;
            for (const l of links) l.flush();
            resolve(state.seen);
          },
        };
        hold = state;
      });
    },
    async close() {
      for (const link of links) link.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

class Link {
  private held: Buffer[] = [];

  constructor(
    private readonly downstream: Socket,
    private readonly upstream: Socket,
  ) {}

  fromRedis(chunk: Buffer, holding: boolean): void {
    if (holding) this.held.push(chunk);
    else this.downstream.write(chunk);
  }

  flush(): void {
    for (const chunk of this.held) this.downstream.write(chunk);
    this.held = [];
  }

  destroy(): void {
    this.downstream.destroy();
    this.upstream.destroy();
  }
}

/**
 * Counts complete commands in a client-to-Redis byte stream. node-redis always sends RESP
 * arrays of bulk strings (`*<n>\r\n` then n times `$<len>\r\n<bytes>\r\n`), so that is all
 * this parses; partial commands carry over to the next chunk.
 */
export class RespCommandCounter {
  private pending: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): number {
    this.pending = Buffer.concat([this.pending, chunk]);
    let count = 0;
    for (;;) {
      const end = this.commandEnd(0);
      if (end === undefined) return count;
      this.pending = this.pending.subarray(end);
      count += 1;
    }
  }

  /** Offset just past the command starting at `start`, or undefined if it is incomplete. */
  private commandEnd(start: number): number | undefined {
    const header = this.readLine(start, "*");
    if (header === undefined) return undefined;
    let offset = header.next;
    for (let i = 0; i < header.value; i++) {
      const bulk = this.readLine(offset, "$");
      if (bulk === undefined) return undefined;
      offset = bulk.next + bulk.value + 2;
      if (offset > this.pending.length) return undefined;
    }
    return offset;
  }

  private readLine(offset: number, marker: string): { value: number; next: number } | undefined {
    const eol = this.pending.indexOf("\r\n", offset);
    if (eol === -1) return undefined;
    const line = this.pending.toString("latin1", offset, eol);
    if (!line.startsWith(marker)) throw new Error(`unexpected RESP line: ${line}`);
    return { value: Number(line.slice(1)), next: eol + 2 };
  }
}
