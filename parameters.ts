// The one file a researcher edits to define an experiment. Every field is optional:
// what is left out takes the default documented in src/config/schema.ts (README "Parameters").
// Flags (`--duration`, `--interval`, `--name`, ...) override these without editing the file.
import type { ParametersInput } from './src/config/index.ts';
// The helpers' own module, not the sweep stage's index: loading this file stays quick (the
// commands compile it on demand, and the index would bring the whole pipeline along).
import { axis, defineSweep } from './src/sweep/defineSweep.ts';

// Attacks beyond exfiltration (README "Traffic and attacks"), after the 60-s training: a fast
// scan from a compromised `user` (every service on its port and three others, in well under a
// second) and a lateral movement `user → orders-db`, a data store user never calls. Not in the
// default run: add `...attacks,` to the parameters below to have them. For a slow scan, one
// target every three intervals: `secondsBetweenTargets: 6`. Both start just after an interval
// boundary, as the exfiltrations below do (see there).
export const attacks = {
  scan: [{ atSeconds: 70.1, workload: 'user', otherPorts: [22, 443, 8080] }],
  lateral: [{ atSeconds: 104.1, workload: 'user', to: 'orders-db', calls: 5, secondsBetweenCalls: 0.2 }],
} satisfies Pick<ParametersInput, 'scan' | 'lateral'>;

export const parameters: ParametersInput = {
  durationSeconds: 150,
  intervalSeconds: 2,
  traffic: {
    users: 12,
    shape: 'normal',
  },
  // Just after an interval boundary (2-s intervals): traffic reaches the telemetry up to 2 s
  // late (stats flush + scrape), so an attack needs the rest of its interval to show there; one
  // on a boundary may be scored in the interval before it, which holds none of it (the
  // experiment warns about starts like these).
  exfiltration: [
    { atSeconds: 90.1, bytes: 400_000, method: 'api' },
    { atSeconds: 120.1, bytes: 400_000, method: 'egress', workload: 'user' },
  ],
  detectors: {
    trainingSeconds: 60,
  },
};

// Used only by `npm run experiment -- --sweep` (README "Sweeps"): 3 sizes × 2 load shapes
// × 2 repeats = 12 runs of 150 s; the detector-side axis (the operating point every detector is
// calibrated to) costs no experiment, only replays.
export const sweep = defineSweep({
  name: 'exfil-size',
  repeats: 2,
  axes: {
    bytes: axis('exfiltration[*].bytes', [100_000, 200_000, 400_000]),
    shape: axis('traffic.shape', ['normal', 'bursty']),
    rate: axis('detectors.falseAlarmRate', [0.01, 0.001]),
  },
});

export default parameters;
