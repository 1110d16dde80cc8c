import { type StreamSpec, toMs } from "@dtw/core";
import * as v from "valibot";
import type { Env } from "./env.js";

/** Where a stream's closed windows go. Secrets and bindings are named by their env name. */
export type SinkConfig =
  | {
      readonly type: "webhook";
      readonly url: string;
      /** Env name of the HMAC secret, e.g. `"WEBHOOK_SECRET"`. */
      readonly secret: string;
      readonly timeoutMs: number;
    }
  | { readonly type: "queue"; readonly binding: string }
  | { readonly type: "pull" };

/** One configured stream, validated and in milliseconds. */
export interface StreamConfig {
  readonly spec: StreamSpec;
  readonly sink: SinkConfig;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly leaseMs: number;
  /** Upper bound of windows one invocation delivers for this stream (subrequest budget). */
  readonly maxWindowsPerRun: number;
}

export type StreamsConfig = ReadonlyMap<string, StreamConfig>;

/** `STREAMS` is missing or wrong. The message names the stream and the field. */
export class StreamsConfigError extends Error {
  override name = "StreamsConfigError";
}

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const duration = (options: { allowZero?: boolean } = {}) =>
  v.pipe(
    v.union([v.number(), v.string()], 'must be a duration: milliseconds or a string like "5 s"'),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return toMs(dataset.value, "duration", options);
      } catch {
        addIssue({
          message: `must be a duration ${options.allowZero ? ">= 0" : "> 0"} (milliseconds or a string like "5 s")`,
          received: JSON.stringify(dataset.value),
        });
        return NEVER;
      }
    }),
  );

const envName = (what: string) =>
  v.pipe(
    v.string(`must be the env name of ${what}`),
    v.regex(ENV_NAME, `must be the env name of ${what}`),
  );

const positiveInt = v.pipe(
  v.number("must be an integer >= 1"),
  v.integer("must be an integer >= 1"),
  v.minValue(1, "must be an integer >= 1"),
);

const Sink = v.variant(
  "type",
  [
    v.strictObject({
      type: v.literal("webhook"),
      url: v.pipe(
        v.string("must be an http(s) URL"),
        v.url("must be an http(s) URL"),
        v.regex(/^https?:\/\//i, "must be an http(s) URL"),
      ),
      secret: envName("the HMAC signing secret"),
      timeout: v.optional(duration(), "10 s"),
    }),
    v.strictObject({ type: v.literal("queue"), binding: envName("a Queue producer binding") }),
    v.strictObject({ type: v.literal("pull") }),
  ],
  'must be one of "webhook", "queue", "pull"',
);

const Stream = v.pipe(
  v.strictObject(
    {
      maxCount: v.optional(positiveInt),
      timeout: duration(),
      strategy: v.optional(
        v.picklist(["tumbling", "first", "last"], "must be tumbling, first or last"),
      ),
      maxWait: v.optional(duration()),
      maxAttempts: v.optional(positiveInt, 5),
      retryDelay: v.optional(duration({ allowZero: true }), "1 s"),
      maxRetryDelay: v.optional(duration({ allowZero: true }), "60 s"),
      lease: v.optional(duration(), "30 s"),
      maxWindowsPerRun: v.optional(positiveInt, 100),
      sink: Sink,
    },
    "must be an object of stream options",
  ),
  v.forward(
    v.check(
      (s) => s.maxWait === undefined || s.strategy === "last",
      'must not be set: maxWait applies to strategy "last" only',
    ),
    ["maxWait"],
  ),
);

const Streams = v.record(
  v.pipe(v.string(), v.regex(NAME, "must be a stream name matching ^[A-Za-z0-9._:-]{1,128}$")),
  Stream,
);

/**
 * Parses and validates `STREAMS` (a JSON string or an object). Also checks that every secret and
 * binding a sink names exists in `env`, so a typo fails at first use rather than at the first
 * delivery.
 * @throws {StreamsConfigError} naming the stream and the field
 */
export function parseStreams(env: Env): StreamsConfig {
  let raw = env.STREAMS;
  if (raw === undefined || raw === "") {
    throw new StreamsConfigError("STREAMS is not set: configure at least one stream.");
  }
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch (error) {
      throw new StreamsConfigError(`STREAMS is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new StreamsConfigError("STREAMS must be a JSON object: stream name -> options.");
  }
  const result = v.safeParse(Streams, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const path = (issue.path ?? []).map((p) => String(p.key));
    const [stream, ...field] = path;
    const where =
      stream === undefined
        ? "STREAMS"
        : field.length === 0
          ? `STREAMS stream "${stream}"`
          : `STREAMS stream "${stream}", field "${field.join(".")}"`;
    throw new StreamsConfigError(`${where}: ${describeIssue(issue)}`);
  }
  const streams = new Map<string, StreamConfig>();
  for (const [name, s] of Object.entries(result.output)) {
    checkSinkEnv(name, s.sink, env);
    streams.set(name, {
      spec: {
        name,
        strategy: s.strategy ?? "tumbling",
        maxCount: s.maxCount ?? Number.POSITIVE_INFINITY,
        timeoutMs: s.timeout,
        maxWaitMs: s.maxWait ?? Number.POSITIVE_INFINITY,
      },
      sink:
        s.sink.type === "webhook"
          ? { type: "webhook", url: s.sink.url, secret: s.sink.secret, timeoutMs: s.sink.timeout }
          : s.sink,
      maxAttempts: s.maxAttempts,
      retryDelayMs: s.retryDelay,
      maxRetryDelayMs: s.maxRetryDelay,
      leaseMs: s.lease,
      maxWindowsPerRun: s.maxWindowsPerRun,
    });
  }
  if (streams.size === 0) throw new StreamsConfigError("STREAMS is empty: configure a stream.");
  return streams;
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.input === undefined) return "is required";
  if (issue.type === "strict_object" && issue.expected === "never") return "is not a known field";
  // Our own messages start with "must"; valibot's defaults already say what was received.
  return issue.message.startsWith("must be")
    ? `${issue.message} (got ${issue.received})`
    : issue.message;
}

function checkSinkEnv(stream: string, sink: v.InferOutput<typeof Sink>, env: Env): void {
  const where = `STREAMS stream "${stream}", field`;
  if (sink.type === "webhook") {
    const secret = env[sink.secret];
    if (typeof secret !== "string" || secret.length === 0) {
      throw new StreamsConfigError(
        `${where} "sink.secret": the secret ${sink.secret} is not set (wrangler secret put ${sink.secret})`,
      );
    }
  }
  if (sink.type === "queue") {
    const queue = env[sink.binding] as { sendBatch?: unknown } | undefined;
    if (typeof queue?.sendBatch !== "function") {
      throw new StreamsConfigError(
        `${where} "sink.binding": ${sink.binding} is not a Queue producer binding (add it under "queues.producers")`,
      );
    }
  }
}

let cached: { raw: unknown; env: Env; streams: StreamsConfig } | undefined;

/** {@link parseStreams}, memoized per isolate for the same `STREAMS` value and env. */
export function streamsFor(env: Env): StreamsConfig {
  if (cached && cached.raw === env.STREAMS && cached.env === env) return cached.streams;
  const streams = parseStreams(env);
  cached = { raw: env.STREAMS, env, streams };
  return streams;
}
