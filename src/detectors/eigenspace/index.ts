export { eigenspace, eigenspaceIgnoredOptions, eigenspaceOptionsSchema, type EigenspaceOptions, type EigenspaceOptionsInput } from './eigenspace.ts';
