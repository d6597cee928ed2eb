import { SYMBOLS } from './symbols.js';

const SECTOR_NAMES = [
  'Tech',
  'Energy',
  'Health',
  'Finance',
  'Industrials',
  'Materials',
  'Utilities',
  'RealEstate',
  'Staples',
  'Discretionary',
  'Telecom',
] as const;

/** symbol → sector, the synchronous lookup used by the enrich stage. */
export const SECTORS: ReadonlyMap<string, string> = new Map(
  SYMBOLS.map((symbol, i) => [symbol, SECTOR_NAMES[(i * 7) % SECTOR_NAMES.length]!]),
);
