import { once } from "node:events";
import { connect, type Socket } from "node:net";

/** A RESP2 reply: simple/bulk string, integer, nil, error or (nested) array. */
export type Reply = string | number | null | Error | Reply[];

/**
 * A minimal RESP2 client for the test harness itself (PING, SCAN/DEL cleanup). The root `test/` folder is not a workspace package, so it cannot import
 * `redis`; the SDK under test brings its own client. Commands are pipelined in order and
 * answered in order, as Redis guarantees on one connection.
 */
export class RespClient {
  readonly #socket: Socket;
  readonly #pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  #buffer: Buffer = Buffer.alloc(0);
  #closedError: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error) => this.#failAll(error));
    socket.on("close", () => this.#failAll(new Error("connection closed")));
  }

  /** Connects to `redis://host:port` (no auth, db 0: the shapes tests use). */
  static async connect(url: string, timeoutMs = 2_000): Promise<RespClient> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setNoDelay(true);
    const timer = setTimeout(
      () => socket.destroy(new Error(`connect timeout to ${hostname}:${port}`)),
      timeoutMs,
    );
    try {
      await once(socket, "connect");
    } finally {
      clearTimeout(timer);
    }
    return new RespClient(socket);
  }

  /** Sends one command; rejects with the Redis error text on an error reply. */
  async send(...args: Array<string | number>): Promise<Reply> {
    const reply = await this.#raw(args.map(String));
    if (reply instanceof Error) throw reply;
    return reply;
  }

  close(): void {
    this.#socket.destroy();
  }

  #raw(args: string[]): Promise<Reply> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    let frame = `*${args.length}\r\n`;
    for (const arg of args) frame += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket.write(frame);
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const parsed = parse(this.#buffer, 0);
      if (!parsed) return;
      this.#buffer = this.#buffer.subarray(parsed.end);
      this.#pending.shift()?.resolve(parsed.value);
    }
  }

  #failAll(error: Error): void {
    this.#closedError ??= error;
    for (const p of this.#pending.splice(0)) p.reject(error);
  }
}

/** Parses one reply at `at`; `undefined` when the buffer does not hold it completely yet. */
function parse(buf: Buffer, at: number): { value: Reply; end: number } | undefined {
  const lineEnd = buf.indexOf("\r\n", at);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[at] as number);
  const line = buf.toString("utf8", at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new Error(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, end);
        if (!item) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}
