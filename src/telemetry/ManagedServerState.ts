import type { ManagedPrometheus } from './ManagedPrometheus.ts';

/** Where a supervised managed server is in its life. */
export type ManagedServerState =
  | { readonly kind: 'starting' }
  /** Answers to queries evaluated before trustedFromSeconds (Unix s) may predate a crash; 0 when it never restarted. */
  | { readonly kind: 'running'; readonly trustedFromSeconds: number }
  /** Dead since `sinceMillis` (the outage's start), a restart pending or under way; `cause` says how it died. */
  | { readonly kind: 'restarting'; readonly sinceMillis: number; readonly cause: string }
  /** Dead for good (restart limit reached, or asked to stop by someone else). */
  | { readonly kind: 'down'; readonly cause: string }
  | { readonly kind: 'stopped' };

/** ManagedPrometheus.faultAt for a server of `kind` in `state`: why a query at `evaluationSeconds` cannot be trusted. */
export function stateFault(kind: ManagedPrometheus['kind'], state: ManagedServerState, evaluationSeconds: number): string | undefined {
  switch (state.kind) {
    case 'starting':
      return undefined;
    case 'running':
      return evaluationSeconds < state.trustedFromSeconds ? `evaluation time precedes the restart of the managed ${kind}, whose answer would hold counters from before it died` : undefined;
    case 'restarting':
      return `managed ${kind} is restarting (its process ${state.cause})`;
    case 'down':
      return `managed ${kind} is down (${state.cause})`;
    case 'stopped':
      return `managed ${kind} was stopped`;
  }
}
