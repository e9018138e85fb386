// What the FX services are handed: the stored rates (any object carrying an `fxRates` repository,
// such as the store the CLI opens).
import type { Repositories } from '../../ports/repositories.js';
export type { RateRow } from '../../ports/fx.js';

export type FxRates = Pick<Repositories, 'fxRates'>;

export const MANUAL_SOURCE = 'manual';
