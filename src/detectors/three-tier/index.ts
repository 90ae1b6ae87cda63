export { threeTier, threeTierOptionsSchema, type ThreeTierOptions, type ThreeTierOptionsInput } from './threeTier.ts';
export { sockShopTierOf, TIERS, type Tier, type TierAssignment } from './tierSeries.ts';
