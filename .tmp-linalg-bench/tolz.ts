import { eigenspace } from '../src/detectors/eigenspace.ts';
import { judgeSnapshots, syntheticMesh } from '../test/util.ts';
const v = judgeSnapshots(syntheticMesh(200, 5), eigenspace({}, { trainingSeconds: 60 }));
console.log(JSON.stringify(v.filter(x => !x.training).map(x => x.score)));
