// The few globals every target runtime (browsers, Workers, Deno, Bun, Node) has. Declared here
// instead of pulling in DOM or Node typings, so that using anything else fails to compile.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare const console: { error(...data: unknown[]): void; warn(...data: unknown[]): void };
