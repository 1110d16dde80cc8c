/**
 * Errors that end a request before (or instead of) talking to Redis. Each one knows the HTTP
 * status it maps to, so the HTTP layer never has to guess from a message.
 */
export class GatewayHttpError extends Error {
  override readonly name: string = "GatewayHttpError";

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400: the body is not valid JSON or does not have the shape a command needs. */
export class BadRequestError extends GatewayHttpError {
  override readonly name = "BadRequestError";
  constructor(message: string) {
    super(400, message);
  }
}

/** 401: missing or wrong bearer token. The message never contains the token. */
export class UnauthorizedError extends GatewayHttpError {
  override readonly name = "UnauthorizedError";
  constructor() {
    super(401, "Unauthorized");
  }
}

/** 404: a path the protocol does not define. */
export class NotFoundError extends GatewayHttpError {
  override readonly name = "NotFoundError";
  constructor(path: string) {
    super(404, `Not found: ${path}`);
  }
}

/** 405: a known path called with something other than POST. */
export class MethodNotAllowedError extends GatewayHttpError {
  override readonly name = "MethodNotAllowedError";
  constructor(method: string) {
    super(405, `Method not allowed: ${method}`);
  }
}

/** 413: the body is larger than `maxBodyBytes`. */
export class PayloadTooLargeError extends GatewayHttpError {
  override readonly name = "PayloadTooLargeError";
  constructor(limit: number) {
    super(413, `Request body exceeds ${limit} bytes`);
  }
}

/** 503: Redis could not be reached (closed, reconnecting, pool exhausted). */
export class RedisUnavailableError extends GatewayHttpError {
  override readonly name = "RedisUnavailableError";
  constructor(detail: string) {
    super(503, `ERR gateway cannot reach redis: ${detail}`);
  }
}
