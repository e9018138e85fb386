// `customs declare`: check, then write the form (CN 22 / CN 23 / commercial invoice) as a PDF and
// record the declaration. Nothing is written when the check has errors.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileInside } from '../../config/safe-path.js';
import { writeFileAtomic } from '../../config/atomic.js';
import type { CustomsInput, CustomsResult } from '../../core/customs/types.js';
import type { Store } from '../../store/db.js';
import type { Address } from '../ship/orders.js';
import { sellerProfile } from './context.js';
import { declarationPdf } from './documents.js';

export interface DeclareOutput {
  path?: string;
  form: CustomsResult['form'];
  reference: string;
}

export async function writeDeclaration(
  store: Store,
  opts: {
    result: CustomsResult;
    input: CustomsInput;
    reference: string;
    documentsDir: string;
    output?: string;
    recipient?: Address;
    orderId?: number;
    shipmentId?: number;
    now: string;
  },
): Promise<DeclareOutput> {
  const { result, input } = opts;
  if (result.form === 'none' || result.errors.length) return { form: result.form, reference: opts.reference };
  const profile = sellerProfile(store);
  const ids: Array<[string, string]> = [];
  const s = input.seller;
  const add = (need: string, label: string, v: string | undefined) => {
    if (v && (result.requiredIds.includes(need) || need === 'EORI')) ids.push([label, v]);
  };
  add('IOSS', 'IOSS', s.ioss);
  add('EORI', 'EORI', s.eori);
  add('UKVAT', 'UK VAT', s.ukVat);
  add('VOEC', 'VOEC', s.voec);
  add('ARN', 'ARN/ABN', s.abnArn);
  add('CHVAT', 'CH VAT', s.chVat);
  const sender: Address & { legalName?: string } = {
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
  store.db
    .prepare(
      `INSERT INTO customs_declarations (shipment_id, order_id, form, destination, currency, declaration_json, document_path, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(opts.shipmentId ?? null, opts.orderId ?? null, result.form, result.to, result.currency, JSON.stringify(result), path, opts.now);
  return { path, form: result.form, reference: opts.reference };
}
