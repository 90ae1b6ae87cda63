export { pcaSubspace, pcaSubspaceOptionsSchema, type PcaSubspaceOptions, type PcaSubspaceOptionsInput } from './pcaSubspace.ts';
