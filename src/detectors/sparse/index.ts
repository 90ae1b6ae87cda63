export { ActiveEdges, type ActiveEdgesOptions } from './activeEdges.ts';
