type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** LOG_LEVEL, read on every call so tests and scripts can change it; an unknown value means info. */
function threshold(): number {
  const level = process.env.LOG_LEVEL?.trim().toLowerCase() as Level | undefined;
  return ORDER[level ?? "info"] ?? ORDER.info;
}

/** Errors become their name and message (JSON.stringify would print `{}`); bigints become strings. */
function replacer(_key: string, value: unknown) {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...("code" in value ? { code: value.code } : {}) };
  }
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * Structured logs: one JSON line per event (time, level, message, pid, then the event's fields), so a
 * log pipeline can filter by operation id, stage or instance. Never throws.
 */
function write(level: Level, message: string, fields: Record<string, unknown> = {}) {
  if (ORDER[level] < threshold()) {
    return;
  }
  let line: string;
  try {
    line = JSON.stringify({ time: new Date().toISOString(), level, message, pid: process.pid, ...fields }, replacer);
  } catch {
    line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      message,
      pid: process.pid,
      fields: "unserializable",
    });
  }
  if (level === "error" || level === "warn") {
    console.error(line);
  } else {
    console.log(line);
  }
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
