import { UserError } from '../errors.ts';
import { parametersSchema, type Parameters } from './schema.ts';
import { schemaProblems, show } from './schemaProblems.ts';

/**
 * Apply defaults and validate. Every problem is reported at once, one line each, naming the
 * field, the bad value and what was expected; `origin` (a file name) prefixes the message.
 */
export function resolveParameters(input: unknown, origin = 'parameters'): Parameters {
  const { data, problems } = schemaProblems(parametersSchema, input ?? {}, '');
  if (data) problems.push(...crossFieldProblems(data));
  if (problems.length > 0) {
    throw new UserError(`${origin}: invalid parameters:\n  ${problems.join('\n  ')}`);
  }
  return data as Parameters;
}

function crossFieldProblems(p: Parameters): string[] {
  const out: string[] = [];
  if (p.intervalSeconds >= p.durationSeconds) {
    out.push(`intervalSeconds: must be shorter than durationSeconds (${p.durationSeconds}) (got ${p.intervalSeconds})`);
  }
  const prom = p.telemetry.prometheus;
  if ((p.telemetry.source === 'prometheus' || prom.url !== undefined) && p.intervalSeconds < prom.scrapeIntervalSeconds) {
    // Intervals without a new scrape read unchanged counters (zero traffic), then one holds a
    // whole scrape's worth: a burst every scrape, an alarm storm.
    out.push(
      `intervalSeconds: must not be shorter than telemetry.prometheus.scrapeIntervalSeconds (${prom.scrapeIntervalSeconds}) when reading through Prometheus: intervals between two scrapes would show no traffic, the next a burst (got ${p.intervalSeconds})`,
    );
  }
  const [lo, hi] = p.traffic.thinkTimeSeconds;
  if (lo > hi) out.push(`traffic.thinkTimeSeconds: minimum must not exceed maximum (got ${show([lo, hi])})`);
  p.exfiltration.forEach((x, i) => {
    if (x.atSeconds >= p.durationSeconds) {
      out.push(`exfiltration[${i}].atSeconds: must fall before durationSeconds (${p.durationSeconds}) (got ${x.atSeconds})`);
    }
  });
  if (p.detectors.trainingSeconds >= p.durationSeconds) {
    out.push(`detectors.trainingSeconds: must be shorter than durationSeconds (${p.durationSeconds}) (got ${p.detectors.trainingSeconds})`);
  }
  return out;
}
