import { describe, SerializationError } from "./errors.js";

/** Turns elements into strings for the store and back. */
export interface Serializer<T> {
  serialize(element: T): string;
  deserialize(text: string): T;
}

/**
 * Strict JSON: rejects what `JSON.stringify` would silently drop or change (functions, symbols,
 * `undefined` elements, non-finite numbers) and what it throws on (cycles, BigInt), so an element
 * never arrives at the handler different from how it was pushed.
 */
export const jsonSerializer: Serializer<unknown> = {
  serialize(element: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(element, strictReplacer);
    } catch (error) {
      throw new SerializationError(`Element is not JSON serializable: ${messageOf(error)}`, 0, {
        cause: error,
      });
    }
    if (text === undefined) {
      throw new SerializationError(`Element is not JSON serializable: ${describe(element)}`, 0);
    }
    return text;
  },
  deserialize: (text: string): unknown => JSON.parse(text),
};

function strictReplacer(this: unknown, key: string, value: unknown): unknown {
  const type = typeof value;
  if (type === "function" || type === "symbol" || type === "bigint") {
    throw new TypeError(`${describe(value)} at ${key === "" ? "the top level" : `key "${key}"`}`);
  }
  if (type === "number" && !Number.isFinite(value)) {
    throw new TypeError(`${value} at ${key === "" ? "the top level" : `key "${key}"`}`);
  }
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
