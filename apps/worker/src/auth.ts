import type { MiddlewareHandler } from "hono";
import type { Env } from "./env.js";
import { HttpError } from "./http-error.js";

const encoder = new TextEncoder();

/**
 * `Authorization: Bearer <API_TOKEN>`, compared in constant time. Missing and wrong tokens get
 * the same 401 so a caller learns nothing about which it was; the token is never logged.
 */
export function bearerAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const expected = c.env.API_TOKEN;
    if (typeof expected !== "string" || expected.length === 0) {
      throw new HttpError(500, "not_configured", "The API_TOKEN secret is not set on this Worker.");
    }
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match || !(await tokensEqual(match[1] as string, expected))) {
      throw new HttpError(401, "unauthorized", "Missing or invalid bearer token.");
    }
    await next();
  };
}

/**
 * Compares digests rather than the tokens themselves: equal-length inputs for the constant-time
 * compare, so neither the content nor the length of the token leaks through timing.
 */
async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
