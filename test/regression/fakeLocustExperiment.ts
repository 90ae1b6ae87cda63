import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters, type Parameters, type ParametersInput } from '../../src/config/index.ts';

/**
 * A short scrape-source experiment on the embedded mesh whose Locust is a shell script in `dir`:
 * it answers `--version` (so it counts as installed), then runs `body`, e.g. says it started and
 * waits, or fails as a broken install would.
 */
export function fakeLocustExperiment(dir: string, body: string, exfiltration: NonNullable<ParametersInput['exfiltration']> = []): Parameters {
  const locust = join(dir, 'locust');
  writeFileSync(locust, `#!/bin/sh\n[ "$1" = --version ] && exit 0\n${body}`);
  chmodSync(locust, 0o755);
  return resolveParameters({
    outputDir: dir,
    durationSeconds: 10,
    intervalSeconds: 1,
    telemetry: { source: 'scrape' },
    traffic: { generator: 'locust', locustBinary: locust, users: 2 },
    mesh: { customers: 20 },
    exfiltration,
    detectors: { trainingSeconds: 5 },
  });
}
