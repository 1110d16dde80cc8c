/**
 * Where the gateway reports what happens. Messages never contain the token or command
 * arguments (they can hold user data); at most command names, paths and statuses.
 */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

/** Library default: stay quiet except for problems. */
export const quietLogger: Logger = {
  info: () => {},
  error: (message) => console.error(`[dtw-gateway] ${message}`),
};

/** CLI default: everything to the console. */
export const consoleLogger: Logger = {
  info: (message) => console.log(`[dtw-gateway] ${message}`),
  error: (message) => console.error(`[dtw-gateway] ${message}`),
};
