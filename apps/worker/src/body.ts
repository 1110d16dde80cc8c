import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import { HttpError } from "./http-error.js";

/** Largest accepted request body. Upstash's own request limit is 1 MB per command. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Most elements one push may carry. */
export const MAX_ELEMENTS = 1000;
/** Longest window key (`key` of a push). */
export const MAX_KEY_LENGTH = 1024;
/** Most ids one ack may carry, and most windows one claim may return. */
export const MAX_IDS = 1000;
export const MAX_CLAIM = 100;

/** 413 before reading more than {@link MAX_BODY_BYTES}, whether or not Content-Length is sent. */
export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new HttpError(413, "body_too_large", `The body exceeds ${MAX_BODY_BYTES} bytes.`);
  },
});

export const PushBody = v.strictObject({
  elements: v.array(v.unknown(), "must be an array"),
  key: v.optional(
    v.pipe(
      v.string("must be a string"),
      v.maxLength(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`),
    ),
  ),
});

const windowId = v.pipe(
  v.string("must be a string"),
  v.minLength(1, "must not be empty"),
  v.maxLength(256, "must be at most 256 characters"),
);

export const AckBody = v.strictObject({
  ids: v.pipe(
    v.array(windowId, "must be an array of window ids"),
    v.minLength(1, "must hold at least one id"),
    v.maxLength(MAX_IDS, `must hold at most ${MAX_IDS} ids`),
  ),
});

export const ReplayBody = v.strictObject({
  ids: v.optional(
    v.pipe(
      v.array(windowId, "must be an array of window ids"),
      v.maxLength(MAX_IDS, `must hold at most ${MAX_IDS} ids`),
    ),
  ),
});

/**
 * Reads the body as JSON (whatever the Content-Type, so `curl -d` works) and validates it.
 * `optional`: an empty body stands for `{}`.
 * @throws {HttpError} 400 `invalid_json` or `invalid_request` naming the field
 */
export async function readBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  { optional = false } = {},
): Promise<v.InferOutput<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() === "") {
    if (!optional)
      throw new HttpError(400, "invalid_json", "The body is empty: send a JSON object.");
  } else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new HttpError(
        400,
        "invalid_json",
        `The body is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(
      400,
      "invalid_request",
      `The body must be a JSON object (got ${Array.isArray(value) ? "an array" : typeof value}).`,
    );
  }
  return validate(schema, value, "body");
}

/** Validates `value`; the 400 names the first wrong field. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  if (issue.type === "strict_object" && issue.expected === "never") {
    throw new HttpError(400, "invalid_request", `${what}: unknown field "${path}".`);
  }
  const field = path ? `${what}.${path}` : what;
  if (issue.input === undefined) {
    throw new HttpError(400, "invalid_request", `${field} is required.`);
  }
  const message = issue.message.startsWith("must") ? issue.message : `must be ${issue.expected}`;
  throw new HttpError(400, "invalid_request", `${field} ${message} (got ${issue.received}).`);
}

/** A bounded positive integer query parameter. */
export function intParam(
  raw: string | undefined,
  name: string,
  fallback: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw new HttpError(
      400,
      "invalid_request",
      `${name} must be an integer from 1 to ${max} (got ${JSON.stringify(raw)}).`,
    );
  }
  return n;
}
