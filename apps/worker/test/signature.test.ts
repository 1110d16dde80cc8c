import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../src/signature.js";

const secret = "s3cret";
const body = '{"id":"w1","elements":[1,2,3]}';
const expected = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("webhook signatures", () => {
  it("signs with HMAC-SHA256 of the raw body, hex, sha256= prefix", async () => {
    expect(await signBody(secret, body)).toBe(expected);
  });

  it("verifies a good signature given the body as a string, bytes or Buffer", async () => {
    expect(await verifySignature(secret, body, expected)).toBe(true);
    expect(await verifySignature(secret, new TextEncoder().encode(body), expected)).toBe(true);
    expect(
      await verifySignature(
        secret,
        Buffer.from(body),
        expected.toUpperCase().replace("SHA256=", "sha256="),
      ),
    ).toBe(true);
  });

  it.each([
    ["a tampered body", secret, `${body} `, expected],
    ["another secret", "other", body, expected],
    ["no header", secret, body, undefined],
    ["an empty header", secret, body, ""],
    ["no prefix", secret, body, expected.slice("sha256=".length)],
    ["a sha1 prefix", secret, body, expected.replace("sha256=", "sha1=")],
    ["a truncated digest", secret, body, expected.slice(0, -2)],
    ["non-hex digits", secret, body, `${expected.slice(0, -2)}zz`],
  ])("rejects %s", async (_name, key, payload, header) => {
    expect(await verifySignature(key, payload, header)).toBe(false);
  });
});
