export { createApp } from "./app.js";
export {
  parseStreams,
  type SinkConfig,
  type StreamConfig,
  type StreamsConfig,
  StreamsConfigError,
} from "./config.js";
export type { Env } from "./env.js";
export { runScheduled, type StreamTick } from "./scheduled.js";
export { SIGNATURE_HEADER, signBody, verifySignature, WINDOW_ID_HEADER } from "./signature.js";
