import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestScheduler } from 'rxjs/testing';
import { applyFlags } from '../../src/cli/experimentFlags.ts';
import { loadParameters, resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { checkSpeed, pacedFromAsync } from '../../src/replay/index.ts';
import { makeTempDir } from '../util.ts';

// Bugs: a function value (`users: () => 3`) gave a DataCloneError stack trace; `telemetry:
// 'oops'` with --source scrape a TypeError; a module throwing a non-Error printed
// "[object Object]"; `intervalSeconds: 1e-9` recorded nothing for 45 s; `--interval 0.05`
// under a 1 s scrape produced an alert storm; `--speed 1e-300` flooded TimeoutOverflowWarnings.

const userError = (message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, String(e));
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

it('values that are not plain data are refused with their fields named, all at once', async () => {
  const tmp = makeTempDir('munnin-plain-');
  try {
    const file = join(tmp.dir, 'parameters.ts');
    writeFileSync(file, 'export default { traffic: { users: () => 3 }, exfiltration: [{ atSeconds: 10n }], outputDir: new Date(0) };\n');
    await assert.rejects(
      loadParameters(file),
      userError(
        `${file}: invalid parameters:\n` +
          '  traffic.users: a function is not allowed here (parameters are plain data: write the value itself, e.g. 3 rather than () => 3)\n' +
          '  exfiltration[0].atSeconds: a bigint is not allowed here (parameters are plain data: numbers, strings, booleans, lists and objects)\n' +
          '  outputDir: a Date is not allowed here (parameters are plain data: numbers, strings, booleans, lists and objects)',
      ),
    );
  } finally {
    tmp.remove();
  }
});

it('a module throwing a plain object shows the object, not [object Object]', async () => {
  const tmp = makeTempDir('munnin-plain-throw-');
  try {
    const file = join(tmp.dir, 'parameters.ts');
    writeFileSync(file, 'throw { code: 42, why: "no" };\n');
    await assert.rejects(loadParameters(file), userError(`${file}: cannot be loaded: {"code":42,"why":"no"}`));
  } finally {
    tmp.remove();
  }
});

it('a flag over a field of the wrong type leaves the mistake to validation, which names it', () => {
  const merged = applyFlags({ telemetry: 'oops' } as never, { source: 'scrape' } as never);
  assert.throws(() => resolveParameters(merged, 'parameters.ts'), userError(/^parameters\.ts: invalid parameters:\n {2}telemetry: .*object.* \(got "oops"\)$/));
});

it('intervals and scrapes too short to read telemetry are refused, with the reason', () => {
  assert.throws(
    () => resolveParameters({ intervalSeconds: 1e-9 }, 'p.ts'),
    userError('p.ts: invalid parameters:\n  intervalSeconds: must be at least 0.25 s: every interval reads all telemetry once, and shorter ones end before that read does (nothing would be recorded) (got 1e-9)'),
  );
  assert.throws(() => resolveParameters({ telemetry: { prometheus: { scrapeIntervalSeconds: 0.01 } } }, 'p.ts'), userError(/scrapeIntervalSeconds: must be at least 0\.25 s: each scrape reads every sidecar/));
  assert.throws(
    () => resolveParameters({ intervalSeconds: 0.5, telemetry: { source: 'prometheus' } }, 'p.ts'),
    userError(/intervalSeconds: must not be shorter than telemetry\.prometheus\.scrapeIntervalSeconds \(1\) when reading through Prometheus: intervals between two scrapes would show no traffic, the next a burst \(got 0\.5\)/),
  );
  // Read directly, half-second intervals are fine.
  assert.equal(resolveParameters({ intervalSeconds: 0.5, telemetry: { source: 'scrape' } }).intervalSeconds, 0.5);
});

it('a replay speed too slow to replay anything is refused; a far-off item waits in timer-sized steps', () => {
  assert.throws(() => checkSpeed(1e-300, '--speed'), userError(/^--speed: must be at least 0\.001 .*\(got 1e-300\)$/));
  // Virtual time: two items 30 days apart at real speed, beyond one timer's reach (24.8 days).
  const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  const day = 86_400;
  const seen: number[] = [];
  async function* items() {
    yield 0;
    yield 30 * day;
  }
  pacedFromAsync(items, { speed: 1, scheduler, secondsOf: (x: number) => x }).subscribe((x) => seen.push(x));
  return (async () => {
    await new Promise((r) => setImmediate(r));
    scheduler.flush();
    await new Promise((r) => setImmediate(r));
    scheduler.flush();
    assert.deepEqual(seen, [0, 30 * day]);
    assert.equal(scheduler.now(), 30 * day * 1000);
  })();
});
