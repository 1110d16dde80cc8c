import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Log, LogLevel, Miniflare, type MiniflareOptions, type WorkerOptions } from "miniflare";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * The Worker bundled from sources (core from its `src`, like the tests of every package), the way
 * wrangler bundles it: ESM for workerd, workerd/worker/browser export conditions.
 */
export function bundleWorker(): Promise<string> {
  bundled ??= build({
    entryPoints: [here("../src/worker.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    plugins: [
      {
        // Workspace packages from their sources, as the tests of every package run.
        name: "workspace-sources",
        setup(build) {
          const sources: Record<string, string> = {
            "@dtw/core": here("../../../packages/core/src/index.ts"),
            "@dtw/upstash": here("../../../packages/upstash/src/index.ts"),
            "@dtw/upstash/cloudflare": here("../../../packages/upstash/src/cloudflare.ts"),
          };
          build.onResolve({ filter: /^@dtw\// }, (args) =>
            sources[args.path] ? { path: sources[args.path] } : undefined,
          );
        },
      },
    ],
    logLevel: "silent",
  }).then((result) => (result.outputFiles[0] as { text: string }).text);
  return bundled;
}

export const API_TOKEN = "test-token-0123456789abcdef";
export const WEBHOOK_SECRET = "test-webhook-secret";

export interface LogLine {
  level: string;
  message: string;
}

export interface TestWorker {
  mf: Miniflare;
  /** Console output of the Worker, one entry per line. */
  logs: LogLine[];
  /** A request to the Worker; `auth: false` omits the bearer token. */
  request(
    method: string,
    path: string,
    body?: unknown,
    options?: { auth?: boolean | string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Runs the cron trigger once; resolves when the run finished. */
  scheduled(): Promise<string>;
  dispose(): Promise<void>;
}

export interface WorkerSetup {
  /** Worker env: `STREAMS` (object, stringified here), secrets, Upstash settings... */
  bindings: Record<string, unknown>;
  /** Extra Miniflare options of the Worker (queue producers...). */
  worker?: Partial<WorkerOptions>;
  /** Further workers (e.g. a queue consumer), after the Worker under test. */
  others?: WorkerOptions[];
}

export async function startWorker(setup: WorkerSetup): Promise<TestWorker> {
  const logs: LogLine[] = [];
  const bindings: Record<string, unknown> = { API_TOKEN, WEBHOOK_SECRET, ...setup.bindings };
  if (typeof bindings.STREAMS === "object") bindings.STREAMS = JSON.stringify(bindings.STREAMS);
  const options = {
    log: new Log(LogLevel.NONE),
    structuredWorkerdLogs: true,
    handleStructuredLogs: ({ level, message }: LogLine) => {
      for (const line of message.split("\n")) if (line) logs.push({ level, message: line });
    },
    workers: [
      {
        name: "dtw",
        modules: [{ type: "ESModule", path: "worker.js", contents: await bundleWorker() }],
        compatibilityDate: "2026-04-20",
        bindings: bindings as Record<string, string>,
        ...setup.worker,
      },
      ...(setup.others ?? []),
    ],
  } as MiniflareOptions;
  const mf = new Miniflare(options);
  await mf.ready;
  return {
    mf,
    logs,
    async request(method, path, body, { auth = true, headers = {} } = {}) {
      const token = typeof auth === "string" ? auth : API_TOKEN;
      const response = await mf.dispatchFetch(`http://worker.test${path}`, {
        method,
        headers: {
          ...(auth === false ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body:
          body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return {
        status: response.status,
        body: parsed,
        headers: response.headers as unknown as Headers,
      };
    },
    async scheduled() {
      const worker = await mf.getWorker("dtw");
      const result = await worker.scheduled({ cron: "* * * * *" });
      return result.outcome;
    },
    dispose: () => mf.dispose(),
  };
}
