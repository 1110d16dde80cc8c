import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, startWorker, type TestWorker } from "./harness.js";

const STREAMS = {
  audit: { maxCount: 5, timeout: "1 h", sink: { type: "pull" } },
  hooks: {
    maxCount: 1000,
    timeout: "1 h",
    sink: { type: "webhook", url: "http://127.0.0.1:9/unused", secret: "WEBHOOK_SECRET" },
  },
};

let worker: TestWorker;
beforeAll(async () => {
  worker = await startWorker({ bindings: { STREAMS } });
});
afterAll(() => worker?.dispose());

const push = "/v1/streams/audit/elements";
const big = JSON.stringify({ elements: ["x".repeat(1024 * 1024)] });

interface BadRequest {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  auth?: boolean | string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The message must mention this (the field or limit at fault). */
  mentions?: string;
}

const BAD: BadRequest[] = [
  {
    name: "no token",
    method: "POST",
    path: push,
    body: { elements: [1] },
    auth: false,
    status: 401,
    code: "unauthorized",
  },
  {
    name: "wrong token",
    method: "POST",
    path: push,
    body: { elements: [1] },
    auth: "nope",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "token with a suffix",
    method: "POST",
    path: push,
    body: { elements: [1] },
    auth: `${API_TOKEN}x`,
    status: 401,
    code: "unauthorized",
  },
  {
    name: "Basic scheme",
    method: "GET",
    path: "/v1/streams/audit",
    auth: false,
    headers: { authorization: `Basic ${API_TOKEN}` },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "Bearer without token",
    method: "GET",
    path: "/v1/streams/audit",
    auth: false,
    headers: { authorization: "Bearer " },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "no token on an unknown route",
    method: "GET",
    path: "/v1/nothing",
    auth: false,
    status: 401,
    code: "unauthorized",
  },
  {
    name: "unknown stream",
    method: "POST",
    path: "/v1/streams/nope/elements",
    body: { elements: [1] },
    status: 404,
    code: "unknown_stream",
    mentions: "nope",
  },
  {
    name: "unknown stream stats",
    method: "GET",
    path: "/v1/streams/nope",
    status: 404,
    code: "unknown_stream",
  },
  { name: "unknown route", method: "GET", path: "/v1/nothing", status: 404, code: "not_found" },
  {
    name: "wrong method",
    method: "GET",
    path: push,
    status: 405,
    code: "method_not_allowed",
    mentions: "POST",
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: push,
    body: '{"elements": [1,',
    status: 400,
    code: "invalid_json",
  },
  { name: "empty body", method: "POST", path: push, body: "", status: 400, code: "invalid_json" },
  {
    name: "body is an array",
    method: "POST",
    path: push,
    body: [1, 2],
    status: 400,
    code: "invalid_request",
    mentions: "JSON object",
  },
  {
    name: "elements missing",
    method: "POST",
    path: push,
    body: {},
    status: 400,
    code: "invalid_request",
    mentions: "body.elements is required",
  },
  {
    name: "elements not an array",
    method: "POST",
    path: push,
    body: { elements: "x" },
    status: 400,
    code: "invalid_request",
    mentions: "elements",
  },
  {
    name: "key not a string",
    method: "POST",
    path: push,
    body: { elements: [1], key: 5 },
    status: 400,
    code: "invalid_request",
    mentions: "key",
  },
  {
    name: "key too long",
    method: "POST",
    path: push,
    body: { elements: [1], key: "k".repeat(1025) },
    status: 400,
    code: "invalid_request",
    mentions: "key",
  },
  {
    name: "unknown field",
    method: "POST",
    path: push,
    body: { elements: [1], element: 2 },
    status: 400,
    code: "invalid_request",
    mentions: "element",
  },
  {
    name: "too many elements",
    method: "POST",
    path: push,
    body: { elements: Array.from({ length: 1001 }, (_, i) => i) },
    status: 413,
    code: "too_many_elements",
    mentions: "1000",
  },
  {
    name: "body over 1 MiB",
    method: "POST",
    path: push,
    body: big,
    status: 413,
    code: "body_too_large",
  },
  {
    name: "non-finite number",
    method: "POST",
    path: push,
    body: '{"elements":[1, 1e400]}',
    status: 400,
    code: "invalid_element",
    mentions: "elements[1]",
  },
  {
    name: "nested non-finite number",
    method: "POST",
    path: push,
    body: '{"elements":[{"a":[-1e999]}]}',
    status: 400,
    code: "invalid_element",
    mentions: "elements[0]",
  },
  {
    name: "claim on a webhook stream",
    method: "POST",
    path: "/v1/streams/hooks/claim",
    status: 409,
    code: "not_a_pull_stream",
  },
  {
    name: "claim max=0",
    method: "POST",
    path: "/v1/streams/audit/claim?max=0",
    status: 400,
    code: "invalid_request",
    mentions: "max",
  },
  {
    name: "claim max=abc",
    method: "POST",
    path: "/v1/streams/audit/claim?max=abc",
    status: 400,
    code: "invalid_request",
    mentions: "max",
  },
  {
    name: "claim max over the limit",
    method: "POST",
    path: "/v1/streams/audit/claim?max=101",
    status: 400,
    code: "invalid_request",
    mentions: "100",
  },
  {
    name: "ack without ids",
    method: "POST",
    path: "/v1/streams/audit/ack",
    body: {},
    status: 400,
    code: "invalid_request",
    mentions: "body.ids is required",
  },
  {
    name: "ack with no id",
    method: "POST",
    path: "/v1/streams/audit/ack",
    body: { ids: [] },
    status: 400,
    code: "invalid_request",
    mentions: "ids",
  },
  {
    name: "ack with a number id",
    method: "POST",
    path: "/v1/streams/audit/ack",
    body: { ids: [1] },
    status: 400,
    code: "invalid_request",
    mentions: "ids.0",
  },
  {
    name: "ack malformed JSON",
    method: "POST",
    path: "/v1/streams/audit/ack",
    body: "{ids:",
    status: 400,
    code: "invalid_json",
  },
  {
    name: "ack on a webhook stream",
    method: "POST",
    path: "/v1/streams/hooks/ack",
    body: { ids: ["a"] },
    status: 409,
    code: "not_a_pull_stream",
  },
  {
    name: "dead-letters limit=-1",
    method: "GET",
    path: "/v1/streams/audit/dead-letters?limit=-1",
    status: 400,
    code: "invalid_request",
    mentions: "limit",
  },
  {
    name: "replay ids not an array",
    method: "POST",
    path: "/v1/streams/audit/replay",
    body: { ids: "a" },
    status: 400,
    code: "invalid_request",
    mentions: "ids",
  },
];

describe("bad requests", () => {
  it.each(BAD)("$name → $status $code", async (bad) => {
    const response = await worker.request(bad.method, bad.path, bad.body, {
      auth: bad.auth ?? true,
      headers: bad.headers ?? {},
    });
    expect(response.status).toBe(bad.status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(response.body)).toEqual(["error"]);
    expect(response.body.error.code).toBe(bad.code);
    expect(typeof response.body.error.message).toBe("string");
    expect(response.body.error.message).not.toMatch(/\n\s+at /);
    if (bad.mentions) expect(response.body.error.message).toContain(bad.mentions);
  });

  it("rejects a push atomically: nothing of a request with one bad element is accepted", async () => {
    const before = await worker.request("GET", "/v1/streams/audit");
    const bad = await worker.request("POST", push, '{"elements":[1, 2, 1e999]}');
    expect(bad.status).toBe(400);
    const after = await worker.request("GET", "/v1/streams/audit");
    expect(after.body.pendingElements).toBe(before.body.pendingElements);
  });
});

describe("routes", () => {
  it("answers /healthz without a token", async () => {
    const response = await worker.request("GET", "/healthz", undefined, { auth: false });
    expect(response).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("accepts a push with 202 and counts it in the stats", async () => {
    const response = await worker.request("POST", "/v1/streams/hooks/elements", {
      elements: [{ a: 1 }, "two", 3, null, [true]],
      key: "user-1",
    });
    expect(response).toMatchObject({ status: 202, body: { accepted: 5 } });
    const stats = await worker.request("GET", "/v1/streams/hooks");
    expect(stats.body).toEqual({
      stream: "hooks",
      store: "memory",
      sink: "webhook",
      open: 1,
      pendingElements: 5,
      ready: 0,
      inFlight: 0,
      dead: 0,
    });
  });

  it("accepts an empty push without touching the store", async () => {
    const response = await worker.request("POST", push, { elements: [] });
    expect(response).toMatchObject({ status: 202, body: { accepted: 0 } });
  });

  it("accepts a body sent without a JSON content type (curl -d)", async () => {
    const response = await worker.request("POST", push, '{"elements":[1]}', {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it("logs the MemoryStore fallback once, and never the token", async () => {
    const warnings = worker.logs.filter((l) => l.message.includes("in-memory store"));
    expect(warnings).toHaveLength(1);
    expect(worker.logs.some((l) => l.message.includes(API_TOKEN))).toBe(false);
  });
});
