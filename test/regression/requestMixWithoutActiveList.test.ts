// Bug: RequestMixResiduals read a frame that carries its active edges' values (activeValues)
// but not the list they follow (`active`: a frame a consumer rebuilt without it, the dense
// loop of test/detectors/sparseFrames.test.ts) as having no front-door traffic at all: every
// edge idle, so `path` scored such frames differently from the same frames with the list
// (sparseFrames' "path gives the verdicts of the dense loop" failed on main d9865f2). Fixed by
// reading such a frame from its dense arrays, as LoadResiduals' own covariates do.
// Expectation by hand: the front door's request and response bytes are in the frame, so its
// residual is observed (not NaN) from the first interval, with or without the list.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestMixResiduals } from '../../src/detectors/series/index.ts';
import { framesOf, handSnapshots, residualParameters } from '../util.ts';

test('request mix: a frame without its active list is read from its dense arrays, the front door observed', () => {
  const intervals = [0, 1, 2, 3].map((i) => ({
    'external>front-end': { response_bytes: 100_000 + 1_000 * i, request_bytes: 4_000 + 50 * i },
    'front-end>user': { response_bytes: 20_000, request_bytes: 2_000 },
  }));
  const withoutList = framesOf(handSnapshots(intervals)).map(({ active: _active, ...frame }) => frame);
  assert.ok(withoutList.every((f) => f.activeValues !== undefined && !('active' in f)));
  const mix = new RequestMixResiduals(residualParameters());
  for (const frame of withoutList) {
    const n = mix.read(frame);
    assert.equal(n, 2);
    assert.ok(!Number.isNaN(mix.residual[0]!), `t = ${frame.t}: the front door (edge 0) is observed`);
    assert.ok(Number.isNaN(mix.residual[1]!), `t = ${frame.t}: front-end → user is no front-door edge`);
    mix.learn(0);
  }
});
