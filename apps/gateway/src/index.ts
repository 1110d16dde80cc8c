export {
  BadRequestError,
  GatewayHttpError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RedisUnavailableError,
  UnauthorizedError,
} from "./errors.js";
export {
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  type Gateway,
  type GatewayOptions,
  startGateway,
} from "./gateway.js";
export type { RequestEvent } from "./http-handler.js";
export type { Logger } from "./logger.js";
