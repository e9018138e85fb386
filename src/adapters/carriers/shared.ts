// What the EasyPost and Shippo adapters really share: reading untyped JSON, the address fields both
// APIs name alike, customs lines as line totals (both APIs want quantity × unit for value and weight:
// EasyPost CustomsItem `value`/`weight`, Shippo CustomsItem `value_amount`/`net_weight`), the seller's
// tax numbers, and downloading label files from the carriers' file hosts WITHOUT the API credentials.

import { RemoteError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import type { CustomsInput, CustomsItem } from '../../core/customs/types.js';
import type { HttpClient } from '../http/index.js';
import type { HttpFactory } from '../http/factory.js';
import type { CarrierAddress, CarrierName } from '../../ports/carrier.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A non-empty string (numbers as their text), else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The address fields EasyPost and Shippo spell the same way (`zip`, `street1`, …). */
export function addressFields(a: CarrierAddress): Obj {
  return {
    name: a.name,
    company: a.company,
    street1: a.street1,
    street2: a.street2,
    city: a.city,
    state: a.state,
    zip: a.postalCode,
    country: a.country,
    phone: a.phone,
    email: a.email,
  };
}

const API_NAME: Record<CarrierName, string> = { easypost: 'EasyPost', shippo: 'Shippo' };

/**
 * An answer that is not the object asked for (HTML, `{}`, cut JSON, another object): the call's outcome
 * is unknown — never "nothing happened" and never an empty result.
 */
export function malformedReply(carrier: CarrierName, what: string, data: unknown): RemoteError {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : JSON.stringify(data) ?? String(data);
  return new RemoteError(`${carrier}: the answer to ${what} is not what ${API_NAME[carrier]} sends (${text.replace(/\s+/g, ' ').slice(0, 120) || 'empty'})`, {
    service: carrier,
    apiCode: 'MALFORMED_REPLY',
    details: { malformedReply: true },
  });
}

/** HS code digits only ("6912.00" → "691200"). */
export function hsDigits(code: string | undefined): string | undefined {
  const d = code?.replace(/[\s.-]/g, '');
  return d ? d : undefined;
}

export interface CustomsLine {
  item: CustomsItem;
  /** quantity × unit value, exact in minor units, in the item's stated currency. */
  value: Money;
  /** quantity × unit net weight. */
  weightGrams: number;
}

/** Each declared item as a line: both carriers want line totals, not unit values. */
export function customsLines(input: CustomsInput): CustomsLine[] {
  return input.items.map((item) => ({
    item,
    value: { minor: item.unitValue.minor * BigInt(item.quantity), currency: item.unitValue.currency },
    weightGrams: item.unitWeightGrams * item.quantity,
  }));
}

export type SellerIdKind = 'IOSS' | 'EORI' | 'UKVAT' | 'VOEC' | 'ARN' | 'CHVAT' | 'NZGST';

/** The seller's numbers by the id kinds the customs rules ask for (`result.requiredIds`). */
export function sellerIds(input: CustomsInput): Partial<Record<SellerIdKind, string>> {
  const s = input.seller;
  const all: Record<SellerIdKind, string | undefined> = { IOSS: s.ioss, EORI: s.eori, UKVAT: s.ukVat, VOEC: s.voec, ARN: s.abnArn, CHVAT: s.chVat, NZGST: s.nzGst };
  const out: Partial<Record<SellerIdKind, string>> = {};
  for (const [k, v] of Object.entries(all) as Array<[SellerIdKind, string | undefined]>) if (v) out[k] = v;
  return out;
}

/**
 * Label and form files live on the carriers' file hosts (S3), not on the API host. They are fetched by
 * a client with no default headers and no auth: an API key sent there leaks to a third party, and S3
 * answers 400 InvalidArgument to an Authorization header it did not sign.
 */
export class CarrierFiles {
  private readonly http: HttpClient;
  constructor(factory: HttpFactory, carrier: CarrierName, apiBaseURL: string) {
    this.http = factory.create({ service: `${carrier} file host`, baseURL: apiBaseURL });
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  async download(url: string): Promise<Uint8Array> {
    if (!/^https?:\/\//i.test(url)) throw new RemoteError(`the carrier gave a file address that is not a URL: ${url.slice(0, 80)}`);
    const res = await this.http.request<ArrayBuffer>({ method: 'GET', url, responseType: 'arraybuffer', operation: 'downloadFile', noAuth: true });
    return new Uint8Array(res.data);
  }
}
