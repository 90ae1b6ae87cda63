import type { ParameterPath, PathValue } from '../../src/sweep/parameterPath.ts';
import type { ParametersInput } from '../../src/config/index.ts';
type V1 = PathValue<ParametersInput, 'exfiltration[*].bytes'>;
const v1: V1 = 5;
type V2 = PathValue<ParametersInput, 'traffic.shape'>;
const v2: V2 = 'normal';
const p: ParameterPath = 'exfiltration[*].bytes';
console.log(v1, v2, p);
