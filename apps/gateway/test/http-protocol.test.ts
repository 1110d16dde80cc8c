import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acquireRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { startTestGateway, type TestGateway } from "./fixture.js";

// Hand-made requests pin down the wire format the client relies on.
const MAX_BODY = 64 * 1024;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const BASE64 = { "Upstash-Encoding": "base64" };

let redisServer: TestRedis;
let t: TestGateway;
let k: (name: string) => string;

beforeAll(async () => {
  redisServer = await acquireRedis({ label: "gateway-test" });
  t = await startTestGateway(redisServer.url, { maxBodyBytes: MAX_BODY });
});
afterAll(async () => {
  await t?.gateway.close();
  await redisServer?.cleanup();
});
beforeEach(() => {
  const prefix = redisServer.prefix();
  k = (name) => `${prefix}${name}`;
});

async function json(res: Response): Promise<unknown> {
  expect(res.headers.get("content-type")).toBe("application/json");
  return res.json();
}

describe("binding", () => {
  it("listens on 127.0.0.1 by default", () => {
    expect(new URL(t.gateway.url).hostname).toBe("127.0.0.1");
    expect(t.gateway.port).toBeGreaterThan(0);
  });
});

describe("authentication and routing", () => {
  it("answers 401 without a token", async () => {
    const res = await fetch(`${t.gateway.url}/`, { method: "POST", body: '["PING"]' });
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: "Unauthorized" });
  });

  it("answers 401 for a wrong token or scheme", async () => {
    const wrong = await t.post("/", ["PING"], { Authorization: `Bearer ${t.token}x` });
    expect(wrong.status).toBe(401);
    const basic = await t.post("/", ["PING"], { Authorization: `Basic ${t.token}` });
    expect(basic.status).toBe(401);
    const body = JSON.stringify(await json(basic));
    expect(body).not.toContain(t.token);
  });

  it("answers 405 for GET on a known path", async () => {
    for (const path of ["/", "/pipeline", "/multi-exec"]) {
      const res = await fetch(`${t.gateway.url}${path}`, {
        headers: { Authorization: `Bearer ${t.token}` },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(await json(res)).toEqual({ error: "Method not allowed: GET" });
    }
  });

  it("answers 404 for an unknown path", async () => {
    const res = await t.post("/set/foo/bar", []);
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: "Not found: /set/foo/bar" });
  });

  it("accepts and ignores upstash-sync-token and a query string", async () => {
    const res = await t.post("/?x=1", ["PING"], { "upstash-sync-token": "anything" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ result: "PONG" });
  });
});

describe("bad requests", () => {
  it("answers 400 for malformed JSON", async () => {
    const res = await t.post("/", '["SET", "k"');
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: "ERR failed to parse command: body is not valid JSON",
    });
  });

  it("answers 400 for a body that is not a command array", async () => {
    for (const body of [{ cmd: "PING" }, [], [42, "x"], "PING"]) {
      const res = await t.post("/", JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ error: expect.stringMatching(/^ERR /) });
    }
  });

  it("answers 400 for a pipeline that is not an array of command arrays", async () => {
    for (const body of [[], ["PING"], { a: 1 }]) {
      const res = await t.post("/pipeline", body);
      expect(res.status).toBe(400);
    }
  });

  it("answers 413 for a body over the limit", async () => {
    const huge = JSON.stringify(["SET", k("big"), "x".repeat(MAX_BODY)]);
    const res = await t.post("/", huge);
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ error: `Request body exceeds ${MAX_BODY} bytes` });
    expect(await redisServer.admin.sendCommand(["EXISTS", k("big")])).toBe(0);
  });

  it("answers 413 for a chunked body over the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Bounded: stops by itself after twice the limit.
        if (sent > MAX_BODY * 2) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${t.gateway.url}/`, {
      method: "POST",
      headers: { Authorization: `Bearer ${t.token}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("answers 400 with the Redis error for a failed or unknown command", async () => {
    const unknown = await t.post("/", ["NOSUCHCOMMAND", "x"]);
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toEqual({
      error: expect.stringMatching(/^ERR unknown command 'NOSUCHCOMMAND'/),
    });
    const arity = await t.post("/", ["GET"]);
    expect(arity.status).toBe(400);
    expect(await json(arity)).toEqual({
      error: "ERR wrong number of arguments for 'get' command",
    });
  });

  it("answers 400 NOSCRIPT for EVALSHA of an unknown sha", async () => {
    const res = await t.post("/", ["EVALSHA", "0".repeat(40), 0]);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: "NOSCRIPT No matching script. Please use EVAL." });
  });

  it("refuses commands that would change the shared connection's state", async () => {
    for (const command of [
      ["SELECT", "1"],
      ["SUBSCRIBE", "c"],
      ["MULTI"],
      ["CLIENT", "REPLY", "OFF"],
    ]) {
      const res = await t.post("/", command);
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual({ error: expect.stringMatching(/not supported/) });
    }
    // The connection still works afterwards, on the same database.
    await redisServer.admin.sendCommand(["SET", k("db0"), "here"]);
    const res = await t.post("/", ["GET", k("db0")]);
    expect(await json(res)).toEqual({ result: "here" });
  });
});

describe("response encoding", () => {
  it("sends plain strings without Upstash-Encoding", async () => {
    await t.post("/", ["RPUSH", k("l"), "é", "b"]);
    expect(await json(await t.post("/", ["SET", k("s"), "ü", "EX", 100]))).toEqual({
      result: "OK",
    });
    expect(await json(await t.post("/", ["GET", k("s")]))).toEqual({ result: "ü" });
    expect(await json(await t.post("/", ["LRANGE", k("l"), 0, -1]))).toEqual({
      result: ["é", "b"],
    });
    expect(await json(await t.post("/", ["GET", k("none")]))).toEqual({ result: null });
    expect(await json(await t.post("/", ["TYPE", k("s")]))).toEqual({ result: "string" });
  });

  it("base64-encodes every string except a top-level OK", async () => {
    expect(await json(await t.post("/", ["SET", k("s"), "ü"], BASE64))).toEqual({ result: "OK" });
    expect(await json(await t.post("/", ["GET", k("s")], BASE64))).toEqual({ result: b64("ü") });
    expect(await json(await t.post("/", ["INCR", k("n")], BASE64))).toEqual({ result: 1 });
    expect(await json(await t.post("/", ["GET", k("none")], BASE64))).toEqual({ result: null });
    // Status replies other than OK are strings the client decodes, so they are encoded too.
    expect(await json(await t.post("/", ["PING"], BASE64))).toEqual({ result: b64("PONG") });
    expect(await json(await t.post("/", ["TYPE", k("s")], BASE64))).toEqual({
      result: b64("string"),
    });
  });

  it("base64-encodes nested arrays from scripts, but not numbers or nulls", async () => {
    const lua = "return { 'a', 1, { 'ö', 2, { 'OK' } }, false, redis.status_reply('OK') }";
    const res = await t.post("/", ["EVAL", lua, 0], BASE64);
    expect(await json(res)).toEqual({
      result: [b64("a"), 1, [b64("ö"), 2, [b64("OK")]], null, b64("OK")],
    });
  });

  it("encodes pipeline items and keeps errors unencoded", async () => {
    await t.post("/", ["SET", k("text"), "abc"]);
    const res = await t.post(
      "/pipeline",
      [
        ["SET", k("p"), "ß"],
        ["GET", k("p")],
        ["INCR", k("text")],
        ["HSET", k("h"), "f", "v"],
        ["HGETALL", k("h")],
      ],
      BASE64,
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual([
      { result: "OK" },
      { result: b64("ß") },
      { error: "ERR value is not an integer or out of range" },
      { result: 1 },
      { result: [b64("f"), b64("v")] },
    ]);
  });

  it("answers multi-exec with per-item errors (unlike SRH) and EXECABORT as one error", async () => {
    await t.post("/", ["SET", k("text"), "abc"]);
    const ran = await t.post("/multi-exec", [
      ["SET", k("m"), "1"],
      ["INCR", k("text")],
      ["INCR", k("m")],
    ]);
    expect(ran.status).toBe(200);
    expect(await json(ran)).toEqual([
      { result: "OK" },
      { error: "ERR value is not an integer or out of range" },
      { result: 2 },
    ]);

    const aborted = await t.post("/multi-exec", [["SET", k("never"), "1"], ["GET"]]);
    expect(aborted.status).toBe(400);
    expect(await json(aborted)).toEqual({
      error:
        "EXECABORT Transaction discarded because of previous errors: " +
        "ERR wrong number of arguments for 'get' command",
    });
    expect(await redisServer.admin.sendCommand(["EXISTS", k("never")])).toBe(0);
  });

  it("stringifies numbers and JSON values in arguments", async () => {
    await t.post("/", ["SET", k("j"), { a: [1, 2] }]);
    expect(await redisServer.admin.sendCommand(["GET", k("j")])).toBe('{"a":[1,2]}');
    await t.post("/", ["SET", k("n"), 1.25, "PX", 60000]);
    expect(await redisServer.admin.sendCommand(["GET", k("n")])).toBe("1.25");
  });
});
