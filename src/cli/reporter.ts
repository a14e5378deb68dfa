import type { StageTiming } from '../build/index.js';
import type { Message } from '../util/messages.js';

/** One message as `path:line:col  severity  reason  [rule]`, with its hint indented below. */
export function formatMessage(m: Message): string {
  const where = m.file ? `${m.file}${m.line ? `:${m.line}:${m.column ?? 1}` : ''}` : 'site';
  const head = `${where}  ${m.severity}  ${m.reason}  [${m.rule}]`;
  if (!m.hint) return head;
  return `${head}\n${m.hint.split('\n').map((l) => `    ${l}`).join('\n')}`;
}

/** "2 errors and 1 warning". */
export function countLine(messages: readonly Message[]): string {
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.length - errors;
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/** The stage timings of `--verbose`. */
export function formatTimings(timings: readonly StageTiming[]): string {
  const total = timings.reduce((sum, t) => sum + t.ms, 0);
  return [...timings.map((t) => `  ${t.stage.padEnd(10)} ${t.ms.toFixed(0).padStart(6)} ms`), `  ${'total'.padEnd(10)} ${total.toFixed(0).padStart(6)} ms`].join('\n');
}

/** Shows parsing progress on a terminal for builds long enough to need it (after a second). */
export function progressPrinter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  start: number,
  clock: () => number = () => performance.now(),
): { update: (done: number, total: number) => void; clear: () => void } {
  let shown = false;
  let last = 0;
  return {
    update(done, total) {
      const t = clock();
      if (!stream.isTTY || t - start < 1000 || (t - last < 100 && done < total)) return;
      last = t;
      shown = true;
      stream.write(`\rParsing posts… ${done}/${total}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
