// The ship-to address of an order-file row, read into the one stored shape (core/address.ts).
// Column names per format: Shopify orders export ("Shipping Name", "Shipping Address1" …), Amazon
// order reports (`recipient-name`, `ship-address-1..3` …: the Unshipped Orders report carries them; the
// All Orders report has only city/state/postal code/country) and eBay's Orders report ("Ship To Name" …).

import { normaliseAddress, type PostalAddress } from '../../core/address.js';
import type { Row } from './row.js';

export interface AddressColumns {
  name: string[];
  company?: string[];
  street1: string[];
  street2?: string[];
  street3?: string[];
  city: string[];
  state: string[];
  postalCode: string[];
  country: string[];
  phone?: string[];
  email?: string[];
}

export const SHOPIFY_SHIP_TO: AddressColumns = {
  name: ['Shipping Name'],
  company: ['Shipping Company'],
  street1: ['Shipping Address1', 'Shipping Street'],
  street2: ['Shipping Address2'],
  city: ['Shipping City'],
  state: ['Shipping Province'],
  postalCode: ['Shipping Zip'],
  country: ['Shipping Country'],
  phone: ['Shipping Phone'],
  email: ['Email'],
};

export const AMAZON_SHIP_TO: AddressColumns = {
  name: ['recipient-name'],
  street1: ['ship-address-1'],
  street2: ['ship-address-2'],
  street3: ['ship-address-3'],
  city: ['ship-city'],
  state: ['ship-state'],
  postalCode: ['ship-postal-code'],
  country: ['ship-country'],
  phone: ['ship-phone-number'],
  email: ['buyer-email'],
};

export const EBAY_SHIP_TO: AddressColumns = {
  name: ['Ship To Name'],
  street1: ['Ship To Address 1'],
  street2: ['Ship To Address 2'],
  city: ['Ship To City'],
  state: ['Ship To State'],
  postalCode: ['Ship To Zip'],
  country: ['Ship To Country'],
  phone: ['Ship To Phone'],
  email: ['Buyer Email'],
};

function first(r: Row, names: string[] | undefined): string | null {
  for (const n of names ?? []) {
    if (r.header.has(n)) {
      const v = r.text(n).trim();
      if (v) return v;
    }
  }
  return null;
}

/** The row's ship-to address; `country` is the already validated ISO code of the order. */
export function shipToFromRow(r: Row, cols: AddressColumns, fallback: { name?: string | null; email?: string | null; country: string | null }): PostalAddress | null {
  const street2 = [first(r, cols.street2), first(r, cols.street3)].filter(Boolean).join(', ') || null;
  return normaliseAddress(
    {
      name: first(r, cols.name),
      company: first(r, cols.company),
      street1: first(r, cols.street1),
      street2,
      city: first(r, cols.city),
      state: first(r, cols.state),
      postalCode: first(r, cols.postalCode),
      // The reports write country names ("United Kingdom"); the order's validated ISO code is used.
      country: fallback.country,
      phone: first(r, cols.phone),
      email: first(r, cols.email),
    },
    fallback,
  );
}
