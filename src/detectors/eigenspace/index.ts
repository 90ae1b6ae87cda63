export { eigenspace, eigenspaceOptionsSchema, type EigenspaceOptions, type EigenspaceOptionsInput } from './eigenspace.ts';
