/**
 * One line per event: `<time> <level> <event> key=value …`. Callers pass ids, codes and counts
 * only, never names, addresses or message text, so the log holds no personal data.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = Record<"info" | "warn" | "error", (event: string, fields?: LogFields) => void>;

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const log = (level: string) => (event: string, fields: LogFields = {}) => {
    const pairs = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
    write([new Date().toISOString(), level, event, ...pairs].join(" "));
  };
  return { info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that drops everything (for tools and tests that do not look at logs). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
