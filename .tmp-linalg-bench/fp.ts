import { eigenspace } from '../src/detectors/eigenspace.ts';
import { pcaSubspace } from '../src/detectors/pcaSubspace.ts';
import { judgeSnapshots, syntheticMesh } from '../test/util.ts';
const attacks = (i: number): Record<string, number> => i === 80 ? { 'external>front-end': 400_000, 'front-end>user': 400_000, 'user>user-db': 400_000 } : i === 100 ? { 'user>attacker-sink': 400_000 } : {};
for (const [name, op, len] of [['eig', eigenspace({}, { trainingSeconds: 60 }), 120], ['pca', pcaSubspace({}, { trainingSeconds: 60 }), 150]] as const) {
  const v = judgeSnapshots(syntheticMesh(len, 1, attacks), op);
  console.log(name, v.map((x, i) => x.alarm ? i : -1).filter(i => i >= 0).join(' '), v[80]!.score / v[80]!.threshold, v[100]!.score / v[100]!.threshold);
}
