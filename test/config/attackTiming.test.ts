import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attacksNearIntervalEnds, resolveParameters } from '../../src/config/index.ts';
import { attacks } from '../../parameters.ts';

describe('attacks whose traffic would not show in the interval scored as theirs', () => {
  it('the default schedule and parameters.ts example start just after a boundary: no warning', () => {
    assert.deepEqual(attacksNearIntervalEnds(resolveParameters({})), []);
    assert.deepEqual(attacksNearIntervalEnds(resolveParameters({ ...attacks })), []);
  });

  it('names a start on a boundary and one late in its interval, with a start just after a boundary', () => {
    // 2-s intervals, stats flush 1 s + scrape 1 s = up to 2 s of lag. By hand:
    // 120 and 119.97 are within 0.05 s of the boundary 120 (suggest 120.1); 91 is 1 s into (90, 92]
    // (second half: suggest 92.1); 95.5 is 1.5 s into (94, 96] (suggest 96.1); 93.9 is 1.9 s in
    // (suggest 94.1); 90.1 and 92.99 (0.99 s in) are fine; the scan at 10 s and the lateral
    // movement at 30.0004 s are on boundaries (suggest 10.1 and 30.1).
    const params = resolveParameters({
      durationSeconds: 200,
      exfiltration: [
        { atSeconds: 120, bytes: 1000, method: 'api' },
        { atSeconds: 119.97, bytes: 1000, method: 'api' },
        { atSeconds: 91, bytes: 1000, method: 'api' },
        { atSeconds: 95.5, bytes: 1000, method: 'egress', workload: 'user' },
        { atSeconds: 93.9, bytes: 1000, method: 'api' },
        { atSeconds: 90.1, bytes: 1000, method: 'api' },
        { atSeconds: 92.99, bytes: 1000, method: 'api' },
      ],
      scan: [{ atSeconds: 10, workload: 'user' }],
      lateral: [{ atSeconds: 30.0004, workload: 'user', to: 'orders-db' }],
      detectors: { trainingSeconds: 6 },
    });
    const warnings = attacksNearIntervalEnds(params);
    assert.equal(warnings.length, 7, warnings.join('\n'));
    assert.match(warnings[0]!, /^exfiltration\[0\] \(api\) starts at 120 s, on an interval boundary: .* atSeconds: 120\.1$/);
    assert.match(warnings[1]!, /^exfiltration\[1\] \(api\) starts at 119\.97 s, on an interval boundary: .* atSeconds: 120\.1$/);
    assert.match(warnings[2]!, /^exfiltration\[2\] \(api\) starts at 91 s, 1 s into a 2-s interval: .*up to 2 s later.* atSeconds: 92\.1$/);
    assert.match(warnings[3]!, /^exfiltration\[3\] \(egress\) starts at 95\.5 s, 1\.5 s into a 2-s interval: .* atSeconds: 96\.1$/);
    assert.match(warnings[4]!, /^exfiltration\[4\] \(api\) starts at 93\.9 s, 1\.9 s into .* atSeconds: 94\.1$/);
    assert.match(warnings[5]!, /^scan\[0\] starts at 10 s, on an interval boundary: .* atSeconds: 10\.1$/);
    assert.match(warnings[6]!, /^lateral\[0\] starts at 30\.0004 s, on an interval boundary: .* atSeconds: 30\.1$/);
  });

  it('counts the lag from the stats flush and the scrape as configured', () => {
    const params = resolveParameters({ mesh: { statsFlushSeconds: 5 }, telemetry: { prometheus: { scrapeIntervalSeconds: 2 } }, intervalSeconds: 10, exfiltration: [{ atSeconds: 96, bytes: 1000, method: 'api' }] });
    const [warning] = attacksNearIntervalEnds(params);
    assert.match(warning!, /6 s into a 10-s interval: its traffic reaches the telemetry up to 7 s later .* atSeconds: 100\.1$/);
  });
});
