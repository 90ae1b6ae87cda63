// Regression (7 Dec): `path` missed the default experiment's `egress` exfiltration in every
// sample. The attacker reads user-db through user and sends it out by user → external, a link
// first seen in the attack's interval. A new link into the outside was a one-hop path of its
// own, scored 0 while its fit warmed up, and the route user-db → user → external was no
// candidate: in this recording the attack's interval scored 4.99 and the one after it 3.81,
// under limits of 6.05 and 6.18 (user-db → user at its clip of 8 on paths of three or four hops,
// the new link 0). A new link
// between a node and the outside now also ends the routes from each data store to that node,
// its hop vouched for by the hop before it while it warms up (PathCore.exitZ).
// The recording: test/fixtures/embedded-recordings/default-attacks (see its README).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureVerdicts } from '../util.ts';

test('path on a recording of the default experiment: the egress attack out by a new link (user → external) alarms, blamed on user → user-db and user → external; the api one still does', () => {
  const { verdicts, start } = fixtureVerdicts('embedded-recordings/default-attacks', ['path'], 60);
  // The attack's interval (its start in (t − dt, t]) or the grace interval after it: the
  // sidecars' counters move at their 1-s stats flush, so the bytes may land in either.
  const around = (atSeconds: number) => verdicts.filter((v) => v.t - v.dt < start + atSeconds + v.dt && v.t >= start + atSeconds);
  const egress = around(120.1).filter((v) => v.alarm);
  assert.ok(egress.length > 0, `no path alarm around the egress attack: ${around(120.1).map((v) => `${v.score.toFixed(2)} vs ${v.threshold.toFixed(2)}`).join(', ')}`);
  const blamed = egress[0]!.blamed.map((b) => `${b.src}>${b.dst}`);
  assert.deepEqual([...blamed].sort(), ['user>external', 'user>user-db']);
  assert.ok(around(90.1).some((v) => v.alarm), 'no path alarm around the api attack');
});
