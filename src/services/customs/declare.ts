// `customs declare`: check, then write the form (CN 22 / CN 23 / commercial invoice) as a PDF and
// record the declaration. Nothing is written when the check has errors.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileInside } from '../../config/safe-path.js';
import { writeFileAtomic } from '../../config/atomic.js';
import type { CustomsInput, CustomsResult } from '../../core/customs/types.js';
import type { Repositories } from '../../ports/repositories.js';
import type { Address } from '../ship/orders.js';
import { sellerProfile } from './context.js';
import { declarationPdf } from './documents.js';

export interface DeclareOutput {
  path?: string;
  form: CustomsResult['form'];
  reference: string;
}

export async function writeDeclaration(
  store: Pick<Repositories, 'businessProfile' | 'customsDeclarations'>,
  opts: {
    result: CustomsResult;
    input: CustomsInput;
    reference: string;
    documentsDir: string;
    output?: string;
    recipient?: Address;
    /** The sender when it is not the profile's ship-from (an overseas warehouse or 3PL). */
    sender?: Address;
    orderId?: number;
    shipmentId?: number;
    now: string;
  },
): Promise<DeclareOutput> {
  const { result, input } = opts;
  if (result.form === 'none' || result.errors.length) return { form: result.form, reference: opts.reference };
  const profile = sellerProfile(store);
  // The numbers the check put on the declaration, and whose they are: when a marketplace collected the
  // VAT as deemed supplier its number goes on it, never the seller's own.
  const LABEL: Record<string, string> = { IOSS: 'IOSS', EORI: 'EORI', UKVAT: 'UK VAT', VOEC: 'VOEC', ARN: 'ARN/ABN', NZGST: 'NZ GST', CHVAT: 'CH VAT' };
  const ids: Array<[string, string]> = [];
  for (const d of result.declarationIds) {
    const label = LABEL[d.id] ?? d.id;
    if (d.holder === 'marketplace') ids.push([`${label} (marketplace, deemed supplier)`, d.number ?? `the marketplace's ${label} number (from the order)`]);
    else if (d.number) ids.push([label, d.number]);
  }
  // The exporter's EORI as the sender's customs reference, when one is set and not already listed.
  if (input.seller.eori && !ids.some(([k]) => k === 'EORI')) ids.push(['EORI', input.seller.eori]);
  if (result.vatCollector === 'import') ids.push(['VAT', 'not charged at sale: to be collected at import']);
  const sender: Address & { legalName?: string } = opts.sender
    ? { ...opts.sender, ...(profile.legalName ? { legalName: profile.legalName } : {}) }
    : {
        country: input.from.country,
        ...(profile.shipFrom ?? {}),
        ...(profile.legalName ? { legalName: profile.legalName } : {}),
      };
  const pdf = await declarationPdf(result, input, {
    sender,
    ...(opts.recipient ? { recipient: opts.recipient } : {}),
    reference: opts.reference,
    invoiceNumber: opts.reference,
    ids,
  });
  // (The reference comes from outside data: an order id, a shipment reference. It is a file name here.)
  const path = opts.output ?? fileInside(opts.documentsDir, `${opts.reference}-${result.form}`, '.pdf');
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, pdf, 0o644, { mkdir: true });
  store.customsDeclarations.record({
    shipmentId: opts.shipmentId ?? null,
    orderId: opts.orderId ?? null,
    form: result.form,
    destination: result.to,
    currency: result.currency,
    declarationJson: JSON.stringify(result),
    documentPath: path,
    createdAt: opts.now,
  });
  return { path, form: result.form, reference: opts.reference };
}
