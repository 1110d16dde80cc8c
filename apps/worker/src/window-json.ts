import type { StoredWindow } from "@dtw/core";

/**
 * The `Window` JSON (`id, stream, key, elements, openedAt, closedAt, reason, attempt`) built from
 * the stored, already-serialized elements: they are JSON texts, so they are spliced in as they
 * are instead of being parsed and re-serialized.
 */
export function windowJson(stream: string, w: StoredWindow): string {
  return (
    `{"id":${JSON.stringify(w.id)},"stream":${JSON.stringify(stream)},"key":${JSON.stringify(w.key)},` +
    `"elements":[${w.items.join(",")}],"openedAt":${w.openedAt},"closedAt":${w.closedAt},` +
    `"reason":${JSON.stringify(w.reason)},"attempt":${w.attempt}}`
  );
}
