import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * An error with the HTTP status and machine-readable code it answers with. Every error response
 * is `{ "error": { "code", "message" } }`.
 */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
