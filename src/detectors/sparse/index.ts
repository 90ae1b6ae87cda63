export { ActiveEdges, type ActiveEdgesOptions } from './activeEdges.ts';
export { ImputedEdges, type ImputedEdgesOptions } from './imputedEdges.ts';
