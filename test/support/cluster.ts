import { type ChildProcess, fork } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { Worker } from "node:worker_threads";
import { inject } from "vitest";
import type { DeliveredWindow, NodeConfig, ToNode, ToParent } from "./protocol.js";

/** A running node: a child process or a worker thread executing `fixtures/node.ts`. */
export interface RunningNode {
  readonly name: string;
  send(message: ToNode): void;
  /** SIGKILL (process) or terminate (thread): no cleanup, no goodbye. */
  kill(): Promise<void>;
  /** Resolves when it has exited. */
  readonly exited: Promise<void>;
}

export interface SpawnOptions {
  /** Worker threads of this process instead of child processes. */
  readonly threads?: boolean;
}

/**
 * Everything the nodes of one run report, with waiting helpers. Waits are driven by incoming
 * messages and bounded by a deadline: no sleeping.
 */
export class Cluster {
  readonly nodes = new Map<string, RunningNode>();
  /** Handler calls that returned normally, in arrival order. */
  readonly delivered: DeliveredWindow[] = [];
  /** Handler calls that threw (induced failures). */
  readonly failed: DeliveredWindow[] = [];
  readonly blocked: DeliveredWindow[] = [];
  /** Per node: indexes of elements whose push resolved. */
  readonly acked = new Map<string, number[]>();
  readonly brackets = new Map<string, Array<[number, number, number]>>();
  readonly pushed = new Map<string, Extract<ToParent, { t: "pushed" }>>();
  readonly errors: string[] = [];
  /** Per stream: elements in successful handler calls (redeliveries counted again). */
  readonly deliveredElements = new Map<string, number>();
  readonly #events = new EventEmitter();
  /** Per node: its `Date.now()` minus ours, when it became ready. */
  readonly #ready = new Map<string, number>();

  static async start(configs: readonly NodeConfig[], options: SpawnOptions = {}): Promise<Cluster> {
    const cluster = new Cluster();
    const script = inject("nodeBundle");
    const ready = configs.map((c) => cluster.waitFor(() => cluster.#ready.has(c.node), 20_000));
    for (const config of configs)
      cluster.nodes.set(config.node, cluster.#spawn(script, config, options));
    await Promise.all(ready);
    return cluster;
  }

  /** Per node: its `Date.now()` minus ours when it became ready (≈ its clock skew). */
  clockOffset(node: string): number | undefined {
    return this.#ready.get(node);
  }

  /** Starts pushing on every node at once, or on those `names` only. */
  go(names?: readonly string[]): void {
    for (const node of this.nodes.values())
      if (!names || names.includes(node.name)) node.send({ t: "go" });
  }

  /** Resolves once `predicate` holds, re-checked on every message; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.errors.length > 0) finish(new Error(`node error: ${this.errors.join("; ")}`));
        else if (predicate()) finish();
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.#events.off("message", check);
        if (error) reject(error);
        else resolve();
      };
      this.#events.on("message", check);
    });
  }

  /** Asks every live node to close (stop timers, finish deliveries) and waits for them to exit. */
  async close(timeoutMs = 20_000): Promise<void> {
    const live = [...this.nodes.values()];
    for (const node of live) node.send({ t: "close" });
    const all = Promise.all(live.map((n) => n.exited));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("nodes did not exit after close")), timeoutMs);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills whatever is still running (afterAll safety net). */
  async destroy(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.kill()));
  }

  #onMessage(message: ToParent): void {
    switch (message.t) {
      case "ready":
        this.#ready.set(message.node, message.dateNow - Date.now());
        break;
      case "window":
        (message.ok ? this.delivered : this.failed).push(message.window);
        if (message.ok) {
          const { stream, elements } = message.window;
          this.deliveredElements.set(
            stream,
            (this.deliveredElements.get(stream) ?? 0) + elements.length,
          );
        }
        break;
      case "blocked":
        this.blocked.push(message.window);
        break;
      case "acks":
        pushAll(this.acked, message.node, message.indexes);
        break;
      case "brackets":
        pushAll(this.brackets, message.node, message.brackets);
        break;
      case "pushed":
        this.pushed.set(message.node, message);
        break;
      case "error":
        this.errors.push(`${message.node}: ${message.message}`);
        break;
    }
    this.#events.emit("message");
  }

  #spawn(script: string, config: NodeConfig, options: SpawnOptions): RunningNode {
    const onMessage = (m: ToParent) => this.#onMessage(m);
    if (options.threads) {
      const worker = new Worker(script, { workerData: config });
      worker.on("message", onMessage);
      worker.on("error", (e) => this.#nodeFailed(config.node, e));
      const exited = once(worker, "exit").then(() => {});
      return {
        name: config.node,
        send: (m) => worker.postMessage(m),
        kill: async () => {
          await worker.terminate();
        },
        exited,
      };
    }
    const child: ChildProcess = fork(script, [], {
      env: { ...process.env, DTW_NODE_CONFIG: JSON.stringify(config) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", onMessage);
    child.on("error", (e) => this.#nodeFailed(config.node, e));
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    return {
      name: config.node,
      send: (m) => {
        if (child.connected) child.send(m);
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
      exited,
    };
  }

  #nodeFailed(node: string, error: Error): void {
    this.errors.push(`${node}: ${error.message}`);
    this.#events.emit("message");
  }
}

function pushAll<T>(map: Map<string, T[]>, key: string, values: readonly T[]): void {
  const list = map.get(key) ?? [];
  map.set(key, list);
  for (const v of values) list.push(v);
}
