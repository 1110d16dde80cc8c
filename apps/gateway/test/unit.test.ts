import { describe, expect, it } from "vitest";
import { CliUsageError, parseCli, redactUrl } from "../src/args.js";
import { createTokenCheck } from "../src/auth.js";
import { isBlocking, parseCommand, parseCommandList, refusalReason } from "../src/commands.js";
import { encodeResult } from "../src/encode.js";
import { BadRequestError } from "../src/errors.js";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("encodeResult", () => {
  it("keeps plain values when base64 is off", () => {
    expect(encodeResult(Buffer.from("é"), false)).toBe("é");
    expect(encodeResult([Buffer.from("a"), 1, null, ["OK"]], false)).toEqual([
      "a",
      1,
      null,
      ["OK"],
    ]);
  });

  it("encodes all strings but a top-level OK when base64 is on", () => {
    expect(encodeResult("OK", true)).toBe("OK");
    expect(encodeResult(Buffer.from("OK"), true)).toBe("OK");
    expect(encodeResult("PONG", true)).toBe(b64("PONG"));
    expect(encodeResult(["OK", [Buffer.from("ü")]], true)).toEqual([b64("OK"), [b64("ü")]]);
    expect(encodeResult(7, true)).toBe(7);
    expect(encodeResult(null, true)).toBeNull();
  });

  it("keeps binary bytes exact in base64", () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    expect(encodeResult(bytes, true)).toBe(bytes.toString("base64"));
  });

  it("flattens RESP3 maps like Upstash", () => {
    expect(encodeResult(new Map([["a", 1]]), false)).toEqual(["a", 1]);
  });
});

describe("parseCommand", () => {
  it("stringifies every argument", () => {
    expect(parseCommand(["SET", "k", 1.5, true, null, { a: 1 }, [1]])).toEqual([
      "SET",
      "k",
      "1.5",
      "true",
      "null",
      '{"a":1}',
      "[1]",
    ]);
  });

  it("rejects what is not a command", () => {
    for (const bad of [{}, [], [1], [""], "GET"]) {
      expect(() => parseCommand(bad)).toThrow(BadRequestError);
    }
  });

  it("names the bad item of a pipeline", () => {
    expect(() => parseCommandList([["PING"], "x"])).toThrow(/pipeline item 1/);
  });
});

describe("command policy", () => {
  it("refuses connection-state commands, case-insensitively", () => {
    expect(refusalReason(["select", "1"])).toMatch(/'SELECT' is not supported/);
    expect(refusalReason(["client", "reply", "off"])).toMatch(/'CLIENT REPLY'/);
    expect(refusalReason(["CLIENT", "LIST"])).toBeUndefined();
    expect(refusalReason(["GET", "k"])).toBeUndefined();
  });

  it("spots blocking commands", () => {
    expect(isBlocking(["blpop", "k", "1"])).toBe(true);
    expect(isBlocking(["XREAD", "BLOCK", "0", "STREAMS", "s", "$"])).toBe(true);
    expect(isBlocking(["XREAD", "STREAMS", "s", "0"])).toBe(false);
    expect(isBlocking(["LPOP", "k"])).toBe(false);
  });
});

describe("createTokenCheck", () => {
  const check = createTokenCheck("s3cret");
  it("accepts only the exact bearer token", () => {
    expect(check("Bearer s3cret")).toBe(true);
    expect(check("bearer s3cret")).toBe(true);
    expect(check("Bearer s3cre")).toBe(false);
    expect(check("Bearer s3cretx")).toBe(false);
    expect(check("s3cret")).toBe(false);
    expect(check(undefined)).toBe(false);
  });
});

describe("parseCli", () => {
  it("reads flags, falling back to the environment", () => {
    expect(
      parseCli(["--port", "0", "--host", "::1", "--redis", "redis://r:1"], { GATEWAY_TOKEN: "t" }),
    ).toEqual({
      kind: "run",
      config: { port: 0, host: "::1", redisUrl: "redis://r:1", token: "t" },
    });
    expect(parseCli([], { UPSTASH_REDIS_REST_TOKEN: "u", REDIS_URL: "redis://x:2" })).toEqual({
      kind: "run",
      config: { port: 8079, host: "127.0.0.1", redisUrl: "redis://x:2", token: "u" },
    });
    expect(parseCli(["--token", "flag"], { GATEWAY_TOKEN: "env" })).toMatchObject({
      config: { token: "flag" },
    });
  });

  it("asks for help or reports usage errors", () => {
    expect(parseCli(["-h"], {})).toEqual({ kind: "help" });
    expect(() => parseCli([], {})).toThrow(CliUsageError);
    expect(() => parseCli(["--port", "99999"], { GATEWAY_TOKEN: "t" })).toThrow(/--port/);
    expect(() => parseCli(["--nope"], { GATEWAY_TOKEN: "t" })).toThrow(CliUsageError);
  });

  it("hides a Redis password when printing the URL", () => {
    expect(redactUrl("redis://user:pw@host:6379/0")).toBe("redis://user:***@host:6379/0");
    expect(redactUrl("redis://host:6379")).toBe("redis://host:6379");
  });
});
