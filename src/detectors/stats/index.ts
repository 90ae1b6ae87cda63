export { MAX_BLAMED, TopBlamed, type SeriesLabel } from './blame.ts';
export { FamilyLimit, type MultipleComparisons } from './familyLimit.ts';
