/** The logging surface framework-free code takes as an argument (Nest's Logger and pino both fit). */
export interface LoggerLike {
  log(message: string, ...context: unknown[]): void;
  warn(message: string, ...context: unknown[]): void;
  error(message: string, ...context: unknown[]): void;
  debug?(message: string, ...context: unknown[]): void;
}

/** For libraries used where nobody cares to listen (tests, one-off scripts). */
export const SILENT_LOGGER: LoggerLike = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
