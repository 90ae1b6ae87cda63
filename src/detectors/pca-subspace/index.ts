export { pcaSubspace, pcaSubspaceIgnoredOptions, pcaSubspaceOptionsSchema, type PcaSubspaceOptions, type PcaSubspaceOptionsInput } from './pcaSubspace.ts';
