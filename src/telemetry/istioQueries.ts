import { UserError } from '../errors.ts';
import { LABEL_NAME, type IstioMapper } from './istioMapper.ts';

export interface IstioQueryOptions {
  /** Labels that tell sidecars apart, kept in the aggregation so resets are seen per sidecar. Default ['instance', 'pod']. */
  readonly identityLabels?: readonly string[];
  /**
   * Only traffic with an end in this Kubernetes namespace: a series counts when its
   * source_workload_namespace or its destination_service_namespace is this one.
   */
  readonly namespace?: string;
}

/** One query per kept Istio metric; the live source and the history importer ask the same. */
export interface IstioQuery {
  readonly istioName: string;
  /** The series selector, namespace matchers included, e.g. `istio_requests_total{...} or istio_requests_total{...}`. */
  readonly selector: string;
  /** The selector's plain series selectors (the `or`-ed halves with a namespace), for range functions. */
  readonly parts: readonly string[];
  /** `sum by (<edge and sidecar labels>) (<selector>)`. */
  readonly expr: string;
}

/**
 * The queries of the Prometheus source: per metric, the sum by the edge's labels, the
 * reporter and the sidecar's identity (so a reset is seen per sidecar, see
 * createPrometheusSource). A namespace becomes label matchers, `or`-ed so a call between
 * namespaces is kept from either side and a series matching both comes once (PromQL's `or`
 * keeps the left-hand series of a label set present on both sides).
 */
export function istioQueries(mapper: IstioMapper, options: IstioQueryOptions = {}): IstioQuery[] {
  const identityLabels = options.identityLabels ?? ['instance', 'pod'];
  for (const label of identityLabels) if (!LABEL_NAME.test(label)) throw new UserError(`identityLabels: ${JSON.stringify(label)} is not a label name`);
  const namespace = options.namespace;
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new UserError(`--namespace: expected a Kubernetes namespace name (lower-case letters, digits, dashes) (got ${JSON.stringify(namespace)})`);
  }
  const groupBy = [...new Set([mapper.sourceLabel, 'source_workload', 'source_workload_namespace', mapper.destinationLabel, 'destination_workload', 'destination_service_namespace', 'reporter', ...identityLabels])];
  return [...mapper.istioNames.keys()].map((istioName) => {
    const parts =
      namespace === undefined ? [istioName] : [`${istioName}{source_workload_namespace="${namespace}"}`, `${istioName}{destination_service_namespace="${namespace}"}`];
    const selector = parts.join(' or ');
    return { istioName, selector, parts, expr: `sum by (${groupBy.join(', ')}) (${selector})` };
  });
}
