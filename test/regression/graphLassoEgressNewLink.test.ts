// Regression (7 Dec, later): `graph-lasso` missed the default experiment's `egress` exfiltration
// in most samples, as `path` did before its exit hops (pathEgressNewLink.test.ts). The attacker
// reads user-db through user and sends it out by user → external, a link no training interval
// carried; the model's candidate paths are fixed at training, so its pooled path features saw
// user-db → user's excess on a path whose other hops stayed quiet: in this recording the
// attack's interval scored 2.06 against a limit of 3.27, and the one after it -2.78 against
// 3.48. A route out by a new link now competes for the pooled features (ExitRoutes), its new
// hop at the share of the hop before's excess it carried out (exitShare): 9.73 against 3.27.
// The recording: test/fixtures/embedded-recordings/default-attacks (see its README).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureVerdicts } from '../util.ts';

test('graph-lasso on a recording of the default experiment: the egress attack out by a new link (user → external) alarms, blaming user → user-db, then user → external; the api one still does', () => {
  const { verdicts, start } = fixtureVerdicts('embedded-recordings/default-attacks', ['graph-lasso'], 60);
  // The attack's interval or the grace interval after it (the sidecars' 1-s stats flush).
  const around = (atSeconds: number) => verdicts.filter((v) => v.t - v.dt < start + atSeconds + v.dt && v.t >= start + atSeconds);
  const egress = around(120.1).filter((v) => v.alarm);
  assert.ok(egress.length > 0, `no graph-lasso alarm around the egress attack: ${around(120.1).map((v) => `${v.score.toFixed(2)} vs ${v.threshold.toFixed(2)}`).join(', ')}`);
  // The route's hops by their rise: the store's hop, then the new link at the z it counted.
  assert.deepEqual(egress[0]!.blamed.slice(0, 2).map((b) => `${b.src}>${b.dst}`), ['user>user-db', 'user>external']);
  assert.ok(around(90.1).some((v) => v.alarm), 'no graph-lasso alarm around the api attack');
});
