/** Base class of every error the SDK throws, so callers can catch them all at once. */
export class DtwError extends Error {
  override name = "DtwError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option or argument is unknown, missing or of the wrong type/range. Names the option and the value. */
export class ConfigError extends DtwError {
  override name = "ConfigError";
  constructor(
    /** The option (or argument) that is wrong, e.g. `maxCount`. */
    readonly option: string,
    /** The value that was given. */
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid ${option}: ${describe(value)} (expected ${expected})`);
  }
}

/** An element cannot be serialized (cycle, BigInt, function, symbol, non-finite number...). Nothing of the call was accepted. */
export class SerializationError extends DtwError {
  override name = "SerializationError";
  constructor(
    message: string,
    /** Index of the offending element within the call (0 for `push`). */
    readonly index: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The store failed (connection refused, timeout, script error...). `cause` holds the original error. */
export class StoreError extends DtwError {
  override name = "StoreError";
}

/** The instance was closed; it accepts no more calls. */
export class ClosedError extends DtwError {
  override name = "ClosedError";
  constructor(stream: string) {
    super(`DistributedTimeWindow "${stream}" is closed`);
  }
}

/** Short, safe rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  return Object.prototype.toString.call(value).slice(8, -1).toLowerCase();
}
