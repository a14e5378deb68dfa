import vm from 'node:vm';
import type { ParseResult } from '../content/post.js';
import { error, StoppedError } from '../util/messages.js';
import type { SourceParser } from './parse.js';

/** Runs a call inside `vm`, whose time limit and Ctrl-C break apply to everything it runs. */
const CALL = new vm.Script('call()');

/** The message for a source whose parse took longer than the limit and was stopped. */
export function timedOut(file: string, seconds: number): ParseResult {
  const reason = `parsing this file took longer than ${seconds} s and was stopped`;
  const hint = 'Look for something in it that is repeated or nested very many times; if it is right as it is, raise "limits": { "parseSeconds": … } in the config.';
  return { post: null, messages: [error(file, reason, 'markdown/timeout', { line: 1, column: 1 }, hint)] };
}

/** Whether a parse result is that of a source stopped for taking too long (never kept for the next build). */
export function isTimedOut(result: ParseResult): boolean {
  return result.messages.some((m) => m.rule === 'markdown/timeout');
}

/**
 * A parser that parses each source in this thread so that nothing in it can hold the build: a
 * parse that takes longer than `seconds` is stopped and reported on the source (and the same
 * bytes are not tried again); Ctrl-C stops it at once and stops the build (the signal is passed on
 * to the build's own handler, which `vm` holds back meanwhile); SIGTERM meanwhile ends the process
 * at once, as its default is, since nothing has been written while a source is parsed. Node can
 * stop running code only this way, by the watchdog thread of `vm`.
 */
export function guardParser(parse: SourceParser, seconds: number): SourceParser {
  const context = vm.createContext({ call: null });
  // Sources stopped for taking too long, by path, with the bytes they were stopped on.
  const stopped = new Map<string, { bytes: Uint8Array; result: ParseResult }>();
  return (source, bytes) => {
    const before = stopped.get(source.path);
    if (before && Buffer.compare(before.bytes, bytes) === 0) return before.result;
    (context as { call: () => ParseResult }).call = () => parse(source, bytes);
    // Raw: a listener added with `once` goes back as one.
    const terms = process.rawListeners('SIGTERM');
    process.removeAllListeners('SIGTERM');
    try {
      return CALL.runInContext(context, { timeout: Math.ceil(seconds * 1000), breakOnSigint: true }) as ParseResult;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        const result = timedOut(source.path, seconds);
        stopped.set(source.path, { bytes, result });
        return result;
      }
      if (code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
        process.emit('SIGINT', 'SIGINT');
        throw new StoppedError();
      }
      throw err;
    } finally {
      for (const listener of terms) process.on('SIGTERM', listener as NodeJS.SignalsListener);
    }
  };
}
