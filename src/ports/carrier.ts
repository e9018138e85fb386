// The carrier port: what the shipping services need from EasyPost, Shippo (or any aggregator).
// Canonical units only (grams, millimetres, Money in minor units, per-unit customs values); every
// adapter converts to its API's units, enums and customs-item semantics.

import type { Money } from '../core/money.js';
import type { CustomsInput, CustomsResult } from '../core/customs/types.js';

export type CarrierName = 'easypost' | 'shippo';
export const CARRIERS: readonly CarrierName[] = ['easypost', 'shippo'];

export interface CarrierAddress {
  name?: string;
  company?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country: string;
  phone?: string;
  email?: string;
}

export interface ParcelSpec {
  weightGrams: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
}

/** The checked declaration, and who signs it. */
export interface CarrierCustoms {
  input: CustomsInput;
  result: CustomsResult;
  signer: string;
}

export interface CreateShipmentRequest {
  /** Our unique ledger reference: sent to the carrier so a lost answer can be reconciled. */
  reference: string;
  from: CarrierAddress;
  to: CarrierAddress;
  parcel: ParcelSpec;
  customs?: CarrierCustoms;
}

export interface RemoteRate {
  id: string;
  carrier: string;
  service: string;
  amount: Money;
  deliveryDays?: number;
  /** The API's own token for this carrier where tracking needs it (Shippo: `fedex`, `hermes_uk`). */
  carrierToken?: string;
}

export interface RemoteForm {
  type: string;
  url: string;
}

export interface RemoteShipment {
  id: string;
  reference?: string;
  rates: RemoteRate[];
  /** A label exists (bought). */
  purchased: boolean;
  selectedRate?: RemoteRate;
  trackingCode?: string;
  labelUrl?: string;
  labelPdfUrl?: string;
  forms: RemoteForm[];
  refundStatus?: string;
  /** The purchase object where the carrier has one (Shippo transaction). */
  transactionId?: string;
  /** The carrier's tracker for the label, where it has one (EasyPost Tracker). */
  trackerId?: string;
  /** Per-carrier rating failures and warnings, verbatim. */
  messages: string[];
}

export interface TrackingEvent {
  at: string;
  status: string;
  message: string;
  location?: string;
}

export interface Tracking {
  trackingCode: string;
  status: string;
  publicUrl?: string;
  estDeliveryDate?: string;
  events: TrackingEvent[];
}

export interface KnownPurchase {
  transactionId?: string;
  rateId?: string;
}

export interface CarrierPort {
  readonly name: CarrierName;
  readonly mode: 'test' | 'live';
  /** One cheap authenticated call: throws RemoteError (exit 6) when the key is rejected. */
  verify(): Promise<void>;
  createShipment(req: CreateShipmentRequest): Promise<RemoteShipment>;
  /**
   * The shipment as the carrier has it now. `known` narrows the look-up for carriers that keep the
   * purchase apart from the shipment (Shippo): the transaction we recorded, or the rate we tried to buy.
   * Throws when the answer is not a shipment: a reply that cannot be read says nothing about a label.
   */
  getShipment(id: string, known?: KnownPurchase): Promise<RemoteShipment>;
  /** Shipments this account created with our reference (newest first), for reconciliation. */
  findByReference(reference: string): Promise<RemoteShipment[]>;
  /**
   * Buy a rate. Not idempotent at the carrier. Resolves only with a purchased shipment read from the
   * answer; anything else throws, and unless the error is the carrier's definite refusal (an HTTP 4xx
   * answer to the request) the label may exist: callers reconcile with getShipment before buying again.
   */
  buy(shipmentId: string, rateId: string): Promise<RemoteShipment>;
  /** A URL of the label as PDF (converting when the carrier made PNG). */
  labelPdfUrl(shipment: RemoteShipment): Promise<string>;
  /** Fetch a label/form file. */
  download(url: string): Promise<Uint8Array>;
  track(shipment: RemoteShipment): Promise<Tracking>;
  /** Ask for a refund of an unused label. */
  void(shipment: RemoteShipment): Promise<{ status: string }>;
}

/** How a carrier account becomes a CarrierPort (its API client), and what a key says of its mode. */
export interface CarrierConnector {
  make(name: CarrierName, opts: { apiKey: string; baseURL?: string }): CarrierPort;
  /** Test or live, as the carrier's key format says. */
  mode(name: CarrierName, apiKey: string): 'test' | 'live';
}

/** A connected carrier account as stored (the key itself lives in the credentials file, never here). */
export interface CarrierAccountRecord {
  carrier: CarrierName;
  baseUrl: string | null;
  mode: 'test' | 'live';
  sandbox: boolean;
  verifiedAt: string | null;
}

export interface CarrierAccountsRepo {
  /** Create or update the account (credentials kept in the file store). */
  save(account: CarrierAccountRecord, now: string): void;
  list(): CarrierAccountRecord[];
}
