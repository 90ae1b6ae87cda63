import type { RunEvent } from '../types.ts';

/**
 * The size an attack is compared under (compareRuns' rows by bytes): the bytes asked for,
 * `requestedBytes` (which munnin's experiments write beside `bytes`), when the event carries
 * one, else the bytes moved, `bytes`. Two attacks both asked as 400 kB move 401,948 and
 * 404,936 bytes (the wire adds headers and pages round up); by `bytes` they would be two
 * one-event rows, the run's false alarms counted in each, read as a size sweep.
 */
export function attackSize(event: Pick<RunEvent, 'bytes'> & { readonly [extra: string]: unknown }): number | undefined {
  const requested = event['requestedBytes'];
  if (typeof requested === 'number' && Number.isFinite(requested) && requested >= 0) return requested;
  return event.bytes;
}
