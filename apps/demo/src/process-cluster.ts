import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { StoreStats } from "@dtw/core";
import { redisStore } from "@dtw/node";
import type { DemoOptions } from "./args.js";
import { type Cluster, specOf } from "./cluster.js";
import type { ChildMessage, Lifecycle, ParentMessage } from "./ipc.js";
import type { NodeReport } from "./node.js";
import { ORDERS, STREAMS, type StreamName } from "./streams.js";

export interface ProcessClusterOptions {
  /** `redis://` URL; children get it through their inherited `REDIS_URL`. */
  readonly redisUrl: string;
  /**
   * The built child entry.
   * @default dist/child.js next to this module
   */
  readonly childModule?: string;
}

/** How long a drained child may take to exit before it is killed. */
const EXIT_GRACE_MS = 5000;

/**
 * Nodes as separate processes sharing one Redis (`redisStore`). Each child reports over IPC;
 * this process only reads the store's stats and removes the run's keys at the end.
 */
export class ProcessCluster implements Cluster {
  readonly description: string;
  readonly #store: ReturnType<typeof redisStore>;
  readonly #options: DemoOptions;
  readonly #report: NodeReport;
  readonly #module: string;
  readonly #redisUrl: string;
  readonly #prefix: string;
  #children: ChildNode[] = [];
  #connected = false;

  constructor(options: DemoOptions, report: NodeReport, cluster: ProcessClusterOptions) {
    this.description = `${options.nodes} node processes sharing one Redis (REDIS_URL)`;
    this.#options = options;
    this.#report = report;
    this.#redisUrl = cluster.redisUrl;
    this.#module = cluster.childModule ?? fileURLToPath(new URL("./child.js", import.meta.url));
    // A fresh prefix per run: runs never see each other's windows and cleanup is exact.
    this.#prefix = `dtw-demo:${randomUUID().slice(0, 8)}:`;
    this.#store = redisStore(cluster.redisUrl, { prefix: this.#prefix });
  }

  /** Checks that Redis answers (one clear error instead of N failing children), then forks. */
  async ready(): Promise<void> {
    await this.#store.stats(specOf(ORDERS));
    this.#connected = true;
    const env = { ...process.env, REDIS_URL: this.#redisUrl };
    this.#children = Array.from({ length: this.#options.nodes }, (_, node) => {
      const child = new ChildNode(this.#module, env, this.#report);
      child.send({ type: "init", node, options: this.#options, prefix: this.#prefix });
      return child;
    });
    await Promise.all(this.#children.map((c) => c.reached("ready")));
  }

  async run(startAt: number, endAt: number, signal?: AbortSignal): Promise<void> {
    for (const c of this.#children) c.send({ type: "start", startAt, endAt });
    const stop = () => {
      for (const c of this.#children) c.send({ type: "stop" });
    };
    signal?.addEventListener("abort", stop, { once: true });
    try {
      await Promise.all(this.#children.map((c) => c.reached("ran")));
    } finally {
      signal?.removeEventListener("abort", stop);
    }
  }

  async drain(): Promise<void> {
    const [first, ...others] = this.#children;
    for (const c of others) c.send({ type: "drain", how: "close" });
    await Promise.all(others.map((c) => c.reached("drained")));
    first?.send({ type: "drain", how: "shutdown" });
    await first?.reached("drained");
  }

  async stats(): Promise<Map<StreamName, StoreStats>> {
    const entries = await Promise.all(
      STREAMS.map(async (s) => [s.name, await this.#store.stats(specOf(s))] as const),
    );
    return new Map(entries);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#children.map((c) => c.stop(EXIT_GRACE_MS)));
    try {
      if (this.#connected) await Promise.all(STREAMS.map((s) => this.#store.drop(specOf(s))));
    } finally {
      await this.#store.close();
    }
  }
}

/** One forked node: routes its reports, and tracks its lifecycle steps and its exit. */
class ChildNode {
  readonly #process: ChildProcess;
  readonly #reached = new Set<Lifecycle>();
  #waiters: Array<{ step: Lifecycle; resolve: () => void; reject: (e: Error) => void }> = [];
  readonly #exited: Promise<void>;
  #exitError: Error | undefined;

  constructor(module: string, env: NodeJS.ProcessEnv, report: NodeReport) {
    this.#process = fork(module, [], { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#process.on("message", (message: ChildMessage) => this.#onMessage(message, report));
    this.#exited = new Promise((resolve) => {
      this.#process.once("exit", (code, signal) => {
        if (!this.#reached.has("drained")) {
          this.#exitError = new Error(
            `demo node process ${this.#process.pid} exited early (${signal ?? `code ${code}`})`,
          );
        }
        for (const w of this.#waiters.splice(0)) {
          if (this.#reached.has(w.step)) w.resolve();
          else w.reject(this.#exitError ?? new Error("demo node process exited"));
        }
        resolve();
      });
    });
  }

  send(message: ParentMessage): void {
    this.#process.send(message);
  }

  /** Resolves once the child reported `step`; rejects if it exits first. */
  reached(step: Lifecycle): Promise<void> {
    if (this.#reached.has(step)) return Promise.resolve();
    if (this.#exitError) return Promise.reject(this.#exitError);
    return new Promise((resolve, reject) => this.#waiters.push({ step, resolve, reject }));
  }

  /** Waits up to `graceMs` for the child to exit, then kills it (this child only, by its pid). */
  async stop(graceMs: number): Promise<void> {
    if (this.#process.exitCode !== null || this.#process.signalCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    if (!this.#reached.has("drained") || (await Promise.race([this.#exited, late])) === "late") {
      this.#process.kill();
      await this.#exited;
    }
    clearTimeout(timer);
  }

  #onMessage(message: ChildMessage, report: NodeReport): void {
    switch (message.type) {
      case "accepted":
        report.accepted(message.stream, message.events);
        break;
      case "rejected":
        report.rejected(message.stream, message.events, new Error(message.message));
        break;
      case "delivered":
        report.delivered(message.window, message.node, message.deliveredAt);
        break;
      case "error":
        report.error(message.node, new Error(message.message));
        break;
      default: {
        this.#reached.add(message.type);
        for (const w of this.#waiters) if (w.step === message.type) w.resolve();
        this.#waiters = this.#waiters.filter((w) => w.step !== message.type);
      }
    }
  }
}
