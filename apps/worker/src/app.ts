import { DtwError, jsonSerializer, SerializationError } from "@dtw/core";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { bearerAuth } from "./auth.js";
import {
  AckBody,
  intParam,
  limitBody,
  MAX_CLAIM,
  MAX_ELEMENTS,
  PushBody,
  ReplayBody,
  readBody,
} from "./body.js";
import { type StreamConfig, StreamsConfigError, streamsFor } from "./config.js";
import { deliver, deliverReady, sinkFor } from "./delivery.js";
import type { Env } from "./env.js";
import { errorBody, HttpError } from "./http-error.js";
import { log, messageOf } from "./log.js";
import { takePushTick } from "./push-tick.js";
import { logTick, tickStream } from "./scheduled.js";
import { storeFor } from "./store.js";
import { windowJson } from "./window-json.js";

type App = { Bindings: Env };
type Ctx = Context<App>;

/** Open windows closed per store call by `flush`. */
const FLUSH_BATCH = 1000;

/** The Hono app: routes of DESIGN.md "Worker HTTP API", plus dead-letter listing and replay. */
export function createApp(): Hono<App> {
  const app = new Hono<App>();

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.use("/v1/*", bearerAuth());

  app.post("/v1/streams/:name/elements", limitBody, async (c) => {
    const { stream, store } = resolve(c);
    const body = await readBody(c, PushBody);
    if (body.elements.length > MAX_ELEMENTS) {
      throw new HttpError(
        413,
        "too_many_elements",
        `At most ${MAX_ELEMENTS} elements per request (got ${body.elements.length}); split the batch.`,
      );
    }
    const items = body.elements.map(serialize);
    if (items.length > 0) {
      // Pull streams: closed windows go straight to the ready queue for consumers to claim.
      const leaseMs = stream.sink.type === "pull" ? 0 : stream.leaseMs;
      const result = await store.append(stream.spec, [{ key: body.key ?? "", items }], leaseMs);
      const sink = sinkFor(stream, c.env);
      if (result.closed.length > 0 && sink) {
        // This request holds the lease on what it closed: deliver after answering, within the
        // per-invocation budget; any excess is delivered by a tick once its lease expires.
        const now = result.closed.slice(0, stream.maxWindowsPerRun);
        background(c, deliver(store, stream, sink, now), stream);
      }
      if (takePushTick(stream.spec.name)) {
        background(
          c,
          tickStream(store, stream, c.env).then((t) => logTick(t, "push")),
          stream,
        );
      }
    }
    return c.json({ accepted: items.length }, 202);
  });

  app.post("/v1/streams/:name/flush", async (c) => {
    const { stream, store } = resolve(c);
    let closed = 0;
    for (;;) {
      const n = await store.closeDue(stream.spec, FLUSH_BATCH, true);
      closed += n;
      if (n < FLUSH_BATCH) break;
    }
    const sink = sinkFor(stream, c.env);
    if (closed > 0 && sink) {
      background(c, deliverReady(store, stream, sink, stream.maxWindowsPerRun), stream);
    }
    return c.json({ closed });
  });

  app.get("/v1/streams/:name", async (c) => {
    const { stream, store } = resolve(c);
    const stats = await store.stats(stream.spec);
    return c.json({
      stream: stream.spec.name,
      store: store.kind,
      sink: stream.sink.type,
      ...stats,
    });
  });

  app.post("/v1/streams/:name/claim", async (c) => {
    const { stream, store } = resolve(c);
    pullOnly(stream);
    const max = intParam(c.req.query("max"), "max", 10, MAX_CLAIM);
    const claimed = await store.claim(stream.spec, max, stream.leaseMs);
    const windows = [];
    for (const w of claimed) {
      // Every earlier lease expired unacked: a poison window would cycle forever, so park it.
      if (w.attempt > stream.maxAttempts) {
        await store.fail(stream.spec, w.id, w.attempt, 0, stream.maxAttempts);
        log("error", "window dead-lettered: its leases expired unacknowledged", {
          stream: stream.spec.name,
          window: w.id,
          attempt: w.attempt,
        });
      } else windows.push(windowJson(stream.spec.name, w));
    }
    return c.body(`{"leaseMs":${stream.leaseMs},"windows":[${windows.join(",")}]}`, 200, {
      "content-type": "application/json",
    });
  });

  app.post("/v1/streams/:name/ack", limitBody, async (c) => {
    const { stream, store } = resolve(c);
    pullOnly(stream);
    const { ids } = await readBody(c, AckBody);
    return c.json({ acked: await store.ack(stream.spec, ids) });
  });

  app.get("/v1/streams/:name/dead-letters", async (c) => {
    const { stream, store } = resolve(c);
    const limit = intParam(c.req.query("limit"), "limit", 100, MAX_CLAIM);
    const dead = await store.deadLetters(stream.spec, limit);
    const windows = dead.map((w) => windowJson(stream.spec.name, w));
    return c.body(`{"windows":[${windows.join(",")}]}`, 200, {
      "content-type": "application/json",
    });
  });

  app.post("/v1/streams/:name/replay", limitBody, async (c) => {
    const { stream, store } = resolve(c);
    const { ids } = await readBody(c, ReplayBody, { optional: true });
    return c.json({ replayed: await store.replay(stream.spec, ids) });
  });

  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length > 0) {
      c.header("allow", allowed.join(", "));
      return c.json(
        errorBody(
          "method_not_allowed",
          `${c.req.method} is not allowed here; use ${allowed.join(" or ")}.`,
        ),
        405,
      );
    }
    return c.json(errorBody("not_found", `No route ${c.req.method} ${c.req.path}.`), 404);
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json(errorBody(error.code, error.message), error.status);
    }
    if (error instanceof StreamsConfigError) {
      log("error", error.message);
      return c.json(errorBody("invalid_config", error.message), 500);
    }
    if (error instanceof HTTPException) {
      return c.json(errorBody("bad_request", error.message || "Bad request."), error.status);
    }
    // Store failures (Upstash unreachable...) and anything unexpected: log the detail, answer
    // without it (no stack, nothing from the environment).
    log("error", "request failed", { path: c.req.path, error: messageOf(error) });
    if (error instanceof DtwError) {
      return c.json(errorBody("store_unavailable", "The window store failed; retry later."), 503);
    }
    return c.json(errorBody("internal", "Internal error."), 500);
  });

  return app;
}

function resolve(c: Ctx) {
  const name = c.req.param("name") as string;
  const stream = streamsFor(c.env).get(name);
  if (!stream) {
    throw new HttpError(
      404,
      "unknown_stream",
      `No stream named ${JSON.stringify(name)} in STREAMS.`,
    );
  }
  return { stream, store: storeFor(c.env) };
}

function pullOnly(stream: StreamConfig): void {
  if (stream.sink.type !== "pull") {
    throw new HttpError(
      409,
      "not_a_pull_stream",
      `Stream "${stream.spec.name}" delivers to a ${stream.sink.type} sink; claim and ack need "sink": { "type": "pull" }.`,
    );
  }
}

function serialize(element: unknown, index: number): string {
  try {
    return jsonSerializer.serialize(element);
  } catch (error) {
    const reason = error instanceof SerializationError ? error.message : messageOf(error);
    throw new HttpError(400, "invalid_element", `elements[${index}]: ${reason}`);
  }
}

/** Runs after the response (`waitUntil`); failures are logged: leases make them retry later. */
function background(c: Ctx, work: Promise<unknown>, stream: StreamConfig): void {
  c.executionCtx.waitUntil(
    work.catch((error) =>
      log("error", "background delivery failed", {
        stream: stream.spec.name,
        error: messageOf(error),
      }),
    ),
  );
}

const ROUTES: Array<[RegExp, string[]]> = [
  [/^\/healthz$/, ["GET"]],
  [/^\/v1\/streams\/[^/]+$/, ["GET"]],
  [/^\/v1\/streams\/[^/]+\/(elements|flush|claim|ack|replay)$/, ["POST"]],
  [/^\/v1\/streams\/[^/]+\/dead-letters$/, ["GET"]],
];

function allowedMethods(path: string): string[] {
  return ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? [];
}
