export { newEdge, newEdgeOptionsSchema, type NewEdgeOptions, type NewEdgeOptionsInput } from './newEdge.ts';
export { EdgePolicy, readPolicyFile } from './edgePolicy.ts';
