/**
 * The one place errors and warnings from timers, subscriptions and child processes go.
 * Tests swap the sink to capture messages; the CLI keeps the default (stderr).
 */
import { terminalMessage } from './terminalText.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  (level: LogLevel, message: string): void;
}

const defaultSink: LogSink = (level, message) => {
  if (level === 'debug' && !process.env['MUNNIN_DEBUG']) return;
  // The net under every message: no control character but a line break reaches the terminal.
  process.stderr.write(`${level === 'info' ? '' : `${level}: `}${terminalMessage(message)}\n`);
};

let sink: LogSink = defaultSink;

/** Replace the sink (returns a function restoring the previous one). */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

/** The sink in use (to forward to it from a sink set on top). */
export function currentLogSink(): LogSink {
  return sink;
}

export const log = {
  debug: (message: string): void => sink('debug', message),
  info: (message: string): void => sink('info', message),
  warn: (message: string): void => sink('warn', message),
  error: (message: string): void => sink('error', message),
};

/** Route an unexpected error (from a timer, a subscription, a child) to the log. */
export function reportError(context: string, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  log.error(`${context}: ${e.message}`);
  if (e.stack) log.debug(e.stack);
}
