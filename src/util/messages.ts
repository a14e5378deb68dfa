/** Severity of a build message: errors fail the build, warnings do not. */
export type Severity = 'error' | 'warning';

/** A problem found during a build, positioned in the user's file where possible. */
export interface Message {
  /** Path relative to the site root (posix separators), or '' for the site as a whole. */
  file: string;
  line?: number;
  column?: number;
  severity: Severity;
  reason: string;
  /** Stable rule id, e.g. `frontmatter/yaml`. */
  rule: string;
  /** What to do about it, when that is not obvious from the reason. */
  hint?: string;
}

/** Where in a file a message points. */
export interface Place {
  line?: number;
  column?: number;
}

/** Builds an error message. */
export function error(file: string, reason: string, rule: string, place: Place = {}, hint?: string): Message {
  return { file, ...place, severity: 'error', reason, rule, ...(hint ? { hint } : {}) };
}

/** Builds a warning message. */
export function warning(file: string, reason: string, rule: string, place: Place = {}, hint?: string): Message {
  return { file, ...place, severity: 'warning', reason, rule, ...(hint ? { hint } : {}) };
}

/** True when any message is an error. */
export function hasErrors(messages: readonly Message[]): boolean {
  return messages.some((m) => m.severity === 'error');
}

/** Sorts messages by file, then line, then column, so reports read top to bottom. */
export function sortMessages(messages: readonly Message[]): Message[] {
  return [...messages].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** An error that stops the build before it starts: bad config or bad usage (exit code 2). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A write refused because Ctrl-C stopped the build (see `stopWriting`): not an error to report. */
export class StoppedError extends Error {
  constructor() {
    super('the build was stopped');
    this.name = 'StoppedError';
  }
}

/**
 * Something kept from an earlier build (the build cache) could not be read back. It is not the
 * user's error and not a template's: it passes through every stage untouched, to the caller that
 * discards the cache and builds again without it.
 */
export class CacheReadError extends Error {}

/** Whether an error is the system's refusal to let this user read or write a file. */
export function isPermissionDenied(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  const e = err as NodeJS.ErrnoException | null;
  return (e?.code === 'EACCES' || e?.code === 'EPERM') && typeof e.path === 'string';
}

/** A character as messages name it: `U+0007`. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
