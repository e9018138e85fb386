// The parcel confirmations a bought label owes (migration 201), as the shipping services record them:
// what an order's lines already have in parcels, and a new parcel to confirm (which also moves the
// reserved units out of stock). The SQL lives in repos/confirmations.ts; this is its shipping port.

import type { Store } from '../db.js';
import type { ParcelConfirmationsRepo } from '../../ports/shipments.js';
import { orderLinesForShipping, recordConfirmation } from './confirmations.js';

export class SqliteParcelConfirmations implements ParcelConfirmationsRepo {
  constructor(private readonly store: Store) {}

  linesForShipping(orderId: number) {
    return orderLinesForShipping(this.store, orderId);
  }

  record(c: Parameters<ParcelConfirmationsRepo['record']>[0], at: string) {
    return recordConfirmation(this.store, c, at);
  }
}
