// What the confirmation service needs from the store (implemented by store/repos/confirmations.ts).

export type ConfirmationState = 'pending' | 'sent' | 'acked' | 'failed';

export interface ConfirmationLine {
  externalLineId: string;
  sku: string | null;
  quantity: number;
}

export interface ConfirmationRecord {
  id: number;
  orderId: number;
  shipmentId: number | null;
  marketplace: string;
  channel: string;
  externalOrderId: string;
  carrier: string;
  service: string | null;
  tracking: string;
  shipDate: string;
  lines: ConfirmationLine[];
  notifyCustomer: boolean;
  state: ConfirmationState;
  attempts: number;
  remoteId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  sentAt: string | null;
  ackedAt: string | null;
  /** Sent in a feed (Amazon's order-fulfillment feed): its id, once the marketplace gave it. */
  feedId?: string | null;
  /** Sent in a feed's batch (recorded before the feed was created): read back from the feed or the order. */
  viaFeed?: boolean;
}

export interface ConfirmationStore {
  /** Rows to work on: pending and sent (a sent row is read back first), optionally one order's or one marketplace's. */
  due(filter: { orderId?: number; marketplace?: string; ids?: number[] }): ConfirmationRecord[];
  /** Committed before the request goes out. */
  markSent(id: number, sent: Record<string, unknown>, at: string): void;
  /** The feed the sent rows went in (committed as soon as createFeed answered). */
  markFeed(ids: readonly number[], feedId: string, at: string): void;
  markAcked(id: number, remoteId: string | null, at: string): void;
  markFailed(id: number, code: string, message: string, at: string): void;
  /** Not sent (the marketplace could not be reached before anything left): pending again, with the reason. */
  markPending(id: number, message: string, at: string): void;
}
