// The timer globals every target runtime (browsers, Workers, Deno, Bun, Node) has. Declared here
// instead of pulling in DOM or Node typings, so that using anything else fails to compile.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
