import { currentLogSink, setLogSink } from '../logger.ts';

/**
 * While several replays run (a folder of runs, a sweep's runs and variants): each distinct
 * warning is shown once, then counted. Replays of alike runs share their shape, so a detector's
 * warning about it (e.g. a training too short for its window, a threshold never set) would
 * otherwise repeat once per replay, burying everything else; the count comes at the end, as
 * `<n> more time(s) in <where>: <warning>`. Returns the function restoring the sink.
 */
export function warnOncePerMessage(where: string): () => void {
  const forward = currentLogSink();
  const repeats = new Map<string, number>();
  const restore = setLogSink((level, message) => {
    if (level !== 'warn') return forward(level, message);
    const seen = repeats.get(message);
    if (seen === undefined) forward(level, message);
    repeats.set(message, (seen ?? -1) + 1);
  });
  return () => {
    restore();
    for (const [message, more] of repeats) if (more > 0) forward('warn', `${more} more time(s) in ${where}: ${message}`);
  };
}
