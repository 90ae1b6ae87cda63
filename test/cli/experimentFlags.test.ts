import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFlags, EXPERIMENT_FLAGS } from '../../src/cli/experimentFlags.ts';
import { parseFlags } from '../../src/cli/parseFlags.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';

const flags = (...argv: string[]) => parseFlags(argv, EXPERIMENT_FLAGS).values;

describe('experiment flags', () => {
  it('override the parameters module without touching the rest', () => {
    const base = { durationSeconds: 150, traffic: { users: 7 }, exfiltration: [{ atSeconds: 20, bytes: 1000, method: 'api' as const }], detectors: { trainingSeconds: 10 } };
    const p = resolveParameters(applyFlags(base, flags('--duration', '30', '--interval', '1', '--name', 'try', '--source', 'scrape', '--traffic', 'builtin')));
    assert.equal(p.durationSeconds, 30);
    assert.equal(p.intervalSeconds, 1);
    assert.equal(p.name, 'try');
    assert.equal(p.telemetry.source, 'scrape');
    assert.equal(p.traffic.generator, 'builtin');
    assert.equal(p.traffic.users, 7);
    assert.equal(base.durationSeconds, 150, 'the module object is not mutated');
  });

  it('name the flag and the value when one is bad', () => {
    assert.throws(() => applyFlags({}, flags('--duration', 'ten')), (e: unknown) => e instanceof UserError && e.message === '--duration: expected a number (got "ten")');
    assert.throws(() => applyFlags({}, flags('--source', 'kafka')), (e: unknown) => e instanceof UserError && /^--source: expected one of auto, scrape, prometheus \(got "kafka"\)$/.test(e.message));
    assert.throws(() => flags('--durration', '3'), (e: unknown) => e instanceof UserError && /--durration/.test(e.message));
  });

  it('name flags that go with others among the rest', () => {
    assert.throws(
      () => applyFlags({}, flags('--context', 'lab', '--port', '8080', '--duration', 'ten')),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === '3 problems with the command line:\n  --context and --namespace go with --target kubernetes\n  --port and --host go with --dashboard\n  --duration: expected a number (got "ten")',
    );
    assert.throws(() => applyFlags({}, flags('--sweep', '--dashboard')), (e: unknown) => e instanceof UserError && e.message === '--dashboard follows one run; it does not go with --sweep');
    assert.doesNotThrow(() => applyFlags({ target: 'kubernetes' }, flags('--context', 'lab')));
  });

  it('name every bad flag at once', () => {
    assert.throws(
      () => applyFlags({}, flags('--duration', 'ten', '--source', 'kafka', '--target', 'mars')),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          '3 problems with the command line:\n  --duration: expected a number (got "ten")\n  --source: expected one of auto, scrape, prometheus (got "kafka")\n  --target: expected one of embedded, kubernetes (got "mars")',
    );
  });
});
