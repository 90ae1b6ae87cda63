import { UserError } from '../errors.ts';
import { STANDARD_METRICS, type CounterSample, type MetricKey } from '../types.ts';
import { MAX_PLAUSIBLE_VALUE } from '../matrix/plausibleValue.ts';
import { labelSetKey } from './labelSetKey.ts';

export type IstioReporter = 'source' | 'destination';

/** How Istio series become CounterSamples (shared by the scrape and the Prometheus sources). */
export interface IstioMappingOptions {
  /** Run-format metric keys to keep. Default: all six standard keys. */
  readonly metrics?: readonly MetricKey[];
  /** Reporter read for every edge; the other only fills in edges it can never report. Default `source`. */
  readonly reporter?: IstioReporter;
  /** Label naming the source node. Default `source_workload`. */
  readonly sourceLabel?: string;
  /** Label naming the destination node. Default `destination_service_name`. */
  readonly destinationLabel?: string;
  /** Renames of node names as read. Default unknown → external, PassthroughCluster → external. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Telemetry that is readable but not counters (NaN, negative, absurdly large, duplicated series). */
export class TelemetryDataError extends Error {
  override readonly name = 'TelemetryDataError';
}

export interface IstioMapper {
  /** Istio sample name → run-format key, for the kept metrics only. */
  readonly istioNames: ReadonlyMap<string, MetricKey>;
  readonly reporter: IstioReporter;
  readonly sourceLabel: string;
  readonly destinationLabel: string;
  /**
   * The sample for one Istio series, or undefined when its metric is not kept or the
   * reporter rule leaves it out. `origin` (e.g. the sidecar) prefixes the series identity.
   * Throws TelemetryDataError when the value cannot be a counter.
   */
  toSample(istioName: string, labels: Readonly<Record<string, string>>, value: number, origin: string): CounterSample | undefined;
}

const DEFAULT_ALIASES: Readonly<Record<string, string>> = { unknown: 'external', PassthroughCluster: 'external' };
/** A Prometheus label name. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The reporter rule (Kiali's): Istio reports each mesh-internal request twice, once by the
 * caller's sidecar (reporter="source") and once by the callee's (reporter="destination").
 * Every edge is read from the configured reporter only. The other reporter's series are
 * taken only for edges the configured one can never report, so nothing is counted twice:
 * with `source`, destination-reported series whose caller has no sidecar
 * (source_workload="unknown", e.g. a client outside the mesh calling the front-end);
 * with `destination`, source-reported series whose callee has no sidecar
 * (destination_workload="unknown", e.g. PassthroughCluster: traffic leaving the mesh).
 * Series with another reporter value are left out; series without a reporter label are kept.
 */
export function createIstioMapper(options: IstioMappingOptions = {}): IstioMapper {
  const reporter = options.reporter ?? 'source';
  if (reporter !== 'source' && reporter !== 'destination') throw new UserError(`telemetry.prometheus.reporter must be "source" or "destination", not ${JSON.stringify(reporter)}`);
  const other: IstioReporter = reporter === 'source' ? 'destination' : 'source';
  const sourceLabel = checkLabel('telemetry.prometheus.sourceLabel', options.sourceLabel ?? 'source_workload');
  const destinationLabel = checkLabel('telemetry.prometheus.destinationLabel', options.destinationLabel ?? 'destination_service_name');
  const complementLabel = reporter === 'source' ? 'source_workload' : 'destination_workload';
  const aliases = new Map(Object.entries(options.aliases ?? DEFAULT_ALIASES));
  const istioNames = new Map<string, MetricKey>();
  for (const key of options.metrics ?? Object.keys(STANDARD_METRICS)) {
    const istioName = (STANDARD_METRICS as Readonly<Record<string, string>>)[key];
    if (!Object.hasOwn(STANDARD_METRICS, key) || istioName === undefined) {
      throw new UserError(`telemetry.metrics: unknown metric key ${JSON.stringify(key)} (known: ${Object.keys(STANDARD_METRICS).join(', ')})`);
    }
    istioNames.set(istioName, key);
  }
  // Node names are few; each is made once and shared, and as a copy: a label value is a
  // slice of a whole sidecar exposition and would keep it alive in every edge downstream.
  const nodes = new Map<string, string>();
  const node = (raw: string | undefined): string => {
    const name = raw === undefined || raw === '' ? 'unknown' : raw;
    let interned = nodes.get(name);
    if (interned === undefined) {
      const copy = JSON.parse(JSON.stringify(name)) as string;
      interned = aliases.get(name) ?? copy;
      nodes.set(copy, interned);
    }
    return interned;
  };
  return {
    istioNames,
    reporter,
    sourceLabel,
    destinationLabel,
    toSample(istioName, labels, value, origin) {
      const metric = istioNames.get(istioName);
      if (metric === undefined) return undefined;
      const reportedBy = labels['reporter'];
      if (reportedBy !== undefined && reportedBy !== reporter) {
        const unseen = labels[complementLabel];
        if (reportedBy !== other || !(unseen === undefined || unseen === '' || unseen === 'unknown')) return undefined;
      }
      const series = `${origin} ${istioName}${labelSetKey(labels)}`;
      if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) throw new TelemetryDataError(`${series} has value ${value}, which is no counter value`);
      // Beyond 2^53 a counter no longer counts in ones (and no mesh moves 9 PB): an absurd value, not traffic.
      if (value > MAX_PLAUSIBLE_VALUE) throw new TelemetryDataError(`${series} has value ${value}, beyond any real counter (at most ${MAX_PLAUSIBLE_VALUE})`);
      return { metric, src: node(labels[sourceLabel]), dst: node(labels[destinationLabel]), series, value };
    },
  };
}

function checkLabel(field: string, name: string): string {
  if (!LABEL_NAME.test(name)) throw new UserError(`${field} must be a Prometheus label name, not ${JSON.stringify(name)}`);
  return name;
}
