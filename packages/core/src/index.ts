export { type Duration, type DurationUnit, toMs } from "./duration.js";
export type {
  NodeCounters,
  PushOptions,
  SeedExtraOptions,
  StreamStats,
  TickResult,
} from "./engine.js";
export { DistributedTimeWindow } from "./engine.js";
export { ClosedError, ConfigError, DtwError, SerializationError, StoreError } from "./errors.js";
export type { MemoryStoreOptions } from "./memory/memory-store.js";
export { MemoryStore } from "./memory/memory-store.js";
export type { DistributedTimeWindowOptions } from "./options.js";
export type { RedisScriptClient } from "./redis/client.js";
export type { RedisStoreOptions } from "./redis/redis-store.js";
export { RedisStore } from "./redis/redis-store.js";
export { ScriptAccumulator, ScriptSortedSet } from "./redis/script-primitives.js";
export {
  MemoryAccumulator,
  MemorySortedSet,
  memoryAccumulatorResolver,
} from "./seed/memory-primitives.js";
export type { PrimitiveStoreOptions } from "./seed/primitive-store.js";
export { PrimitiveStore } from "./seed/primitive-store.js";
export type { IAccumulator, IDistributedSortedSet } from "./seed/primitives.js";
export { jsonSerializer, type Serializer } from "./serializer.js";
export type {
  AppendGroup,
  AppendResult,
  CloseReason,
  FailOutcome,
  Lease,
  StoredWindow,
  StoreStats,
  Strategy,
  StreamSpec,
  Wakeup,
  WindowStore,
} from "./store.js";
export { windowDeadline } from "./store.js";
export type { Timers } from "./timer.js";
export type { Window } from "./window.js";
