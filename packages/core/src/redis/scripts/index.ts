import { APPEND } from "./append.js";
import { ACK, CLAIM, DEAD_LETTERS, EXTEND, FAIL, REPLAY } from "./delivery.js";
import { CLOSE_DUE, DROP, FLUSH, NEXT_WAKEUP, STATS } from "./windows.js";

export type { RedisScript } from "./prelude.js";

/** Every script of {@link RedisStore}, one per `WindowStore` method. */
export const SCRIPTS = {
  append: APPEND,
  closeDue: CLOSE_DUE,
  claim: CLAIM,
  extend: EXTEND,
  ack: ACK,
  fail: FAIL,
  flush: FLUSH,
  stats: STATS,
  nextWakeup: NEXT_WAKEUP,
  deadLetters: DEAD_LETTERS,
  replay: REPLAY,
  drop: DROP,
} as const;
