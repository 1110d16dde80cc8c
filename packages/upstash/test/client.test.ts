import { ConfigError } from "@dtw/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRICKY_ITEMS } from "../../node/test/support/tricky.js";
import { UpstashCommandError } from "../src/channel.js";
import { upstashClient } from "../src/client.js";
import { startUpstash, type TestUpstash } from "./support/gateway.js";

const ECHO = "return {KEYS[1], ARGV}";

let up: TestUpstash;
beforeAll(async () => {
  up = await startUpstash();
});
afterAll(async () => {
  await up.cleanup();
});

it("the client's own eval changes such items (why the adapter bypasses its parsing)", async () => {
  const reply = (await up.client().eval(ECHO, ["k"], ["42", "true", '"x"', "x"])) as unknown[];
  expect(reply[1]).toEqual([42, true, "x", "x"]);
});

describe.each([
  ["defaults (auto-pipelining, base64, automaticDeserialization)", {}],
  ["automaticDeserialization: false", { automaticDeserialization: false }],
  ["responseEncoding: false", { responseEncoding: false as const }],
  ["enableAutoPipelining: false", { enableAutoPipelining: false }],
  ["readYourWrites: false", { readYourWrites: false }],
])("upstashClient with %s", (_, config) => {
  it("returns every item byte-exact from EVAL and EVALSHA", async () => {
    const client = upstashClient(up.client(config));
    const key = `${up.redis.prefix()}k`;
    expect(await client.eval(ECHO, [key], [...TRICKY_ITEMS])).toEqual([key, TRICKY_ITEMS]);
    const sha = (await up.redis.client.scriptLoad(ECHO)) as string;
    expect(await client.evalsha(sha, [key], [...TRICKY_ITEMS])).toEqual([key, TRICKY_ITEMS]);
  });

  it("returns integers as numbers and nil as null", async () => {
    const client = upstashClient(up.client(config));
    expect(await client.eval("return {1, false, true, nil}", ["k"], [])).toEqual([1, null, 1]);
    expect(await client.eval("return 7", ["k"], [])).toBe(7);
    expect(await client.eval("return nil", ["k"], [])).toBeNull();
  });

  it("rejects an unknown sha with a NOSCRIPT error that does not echo the arguments", async () => {
    const client = upstashClient(up.client(config));
    const error = (await client
      .evalsha("0".repeat(40), ["k"], ["secret-element"])
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UpstashCommandError);
    expect(error.message).toMatch(/^NOSCRIPT/);
    expect(error.message).not.toContain("secret-element");
  });
});

it("sends calls issued in the same tick as one /pipeline request, each with its own reply", async () => {
  const client = upstashClient(up.client());
  const before = up.events.length;
  const replies = await Promise.all(
    TRICKY_ITEMS.map((item, i) => client.eval("return ARGV", [`k${i}`], [item])),
  );
  expect(replies).toEqual(TRICKY_ITEMS.map((item) => [item]));
  expect(up.events.slice(before).map((e) => [e.path, e.commands.length])).toEqual([
    ["/pipeline", TRICKY_ITEMS.length],
  ]);
});

it("with enableAutoPipelining: false on the client, each call is its own request", async () => {
  const client = upstashClient(up.client({ enableAutoPipelining: false }));
  const before = up.events.length;
  await Promise.all([1, 2, 3].map((i) => client.eval("return ARGV", ["k"], [String(i)])));
  expect(up.events.slice(before).map((e) => e.path)).toEqual(["/", "/", "/"]);
});

it("a failing command in a pipeline rejects only its own call", async () => {
  const client = upstashClient(up.client());
  const [ok, bad] = await Promise.allSettled([
    client.eval("return 'fine'", ["k"], []),
    client.evalsha("0".repeat(40), ["k"], []),
  ]);
  expect(ok).toEqual({ status: "fulfilled", value: "fine" });
  expect(bad).toMatchObject({
    status: "rejected",
    reason: { message: expect.stringMatching(/^NOSCRIPT/) },
  });
});

it("refuses an object that is not an @upstash/redis client", () => {
  const fake = { eval: async () => null, evalsha: async () => null };
  expect(() => upstashClient(fake as never)).toThrow(ConfigError);
  expect(() => upstashClient(fake as never)).toThrow("Invalid redis");
});
