import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attacksNearIntervalEnds, resolveParameters } from '../../src/config/index.ts';

describe('attacks starting where the telemetry may not show them yet', () => {
  it('the default schedule starts mid-interval: no warning', () => {
    assert.deepEqual(attacksNearIntervalEnds(resolveParameters({})), []);
  });

  it('names an attack on a boundary and one in the last scrape period before a boundary, with a start mid-interval', () => {
    // 2-s intervals, 1-s scrapes: 120 is on a boundary (suggest 121); 95.5 is 0.5 s before 96
    // (suggest 95, the middle of (94, 96]); 93 is exactly one scrape period before 94: fine;
    // the scan at 10 s and the lateral movement at 30.0004 s are on boundaries (suggest 11 and 31).
    const params = resolveParameters({
      durationSeconds: 200,
      exfiltration: [
        { atSeconds: 120, bytes: 1000, method: 'api' },
        { atSeconds: 95.5, bytes: 1000, method: 'egress', workload: 'user' },
        { atSeconds: 93, bytes: 1000, method: 'api' },
      ],
      scan: [{ atSeconds: 10, workload: 'user' }],
      lateral: [{ atSeconds: 30.0004, workload: 'user', to: 'orders-db' }],
      detectors: { trainingSeconds: 6 },
    });
    const warnings = attacksNearIntervalEnds(params);
    assert.equal(warnings.length, 4, warnings.join('\n'));
    assert.match(warnings[0]!, /^exfiltration\[0\] \(api\) starts at 120 s, on an interval boundary: .* atSeconds: 121$/);
    assert.match(warnings[1]!, /^exfiltration\[1\] \(egress\) starts at 95\.5 s, 0\.5 s before an interval ends: .*sidecars scraped every 1 s.* atSeconds: 95$/);
    assert.match(warnings[2]!, /^scan\[0\] starts at 10 s, on an interval boundary: .* atSeconds: 11$/);
    assert.match(warnings[3]!, /^lateral\[0\] starts at 30\.0004 s, on an interval boundary: .* atSeconds: 31$/);
  });

  it('says nothing when intervals are no longer than a scrape period (no start is safer than another)', () => {
    const params = resolveParameters({ intervalSeconds: 2, telemetry: { prometheus: { scrapeIntervalSeconds: 2 } }, exfiltration: [{ atSeconds: 120, bytes: 1000, method: 'api' }] });
    assert.deepEqual(attacksNearIntervalEnds(params), []);
  });
});
