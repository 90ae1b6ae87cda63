// The one file a researcher edits to define an experiment. Every field is optional:
// what is left out takes the default documented in src/config/schema.ts (README "Parameters").
// Flags (`--duration`, `--interval`, `--name`, ...) override these without editing the file.
import type { ParametersInput } from './src/config/index.ts';

export const parameters: ParametersInput = {
  durationSeconds: 150,
  intervalSeconds: 2,
  traffic: {
    users: 12,
    shape: 'normal',
  },
  exfiltration: [
    { atSeconds: 90, bytes: 400_000, method: 'api' },
    { atSeconds: 120, bytes: 400_000, method: 'egress', workload: 'user' },
  ],
  detectors: {
    trainingSeconds: 60,
  },
};

export default parameters;
