// CN 22 / CN 23 / commercial invoice as PDF (pdf-lib: pure JavaScript, no native build, its own
// TypeScript types). The wording and columns of each form are data in templates/customs/*.json; this
// file only lays them out. Standard PDF fonts are WinAnsi, so text is reduced to Latin-1 first.

import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { templatesPath } from '../../config/paths.js';
import type { CustomsInput, CustomsResult } from '../../core/customs/types.js';
import type { Address } from '../ship/orders.js';

interface Layout {
  title: string;
  subtitle?: string;
  categories?: string[];
  columns: string[];
  fields?: string[];
  certification: string;
  source: string;
}

export interface DocumentParties {
  sender: Address & { legalName?: string };
  recipient?: Address;
  reference: string;
  invoiceNumber: string;
  signer?: string;
  ids: Array<[string, string]>;
}

function layout(name: string): Layout {
  return JSON.parse(readFileSync(templatesPath('customs', `${name}.json`), 'utf8')) as Layout;
}

/** Keep what a WinAnsi standard font can draw. */
function latin(text: string): string {
  return text
    .replace(/[→]/g, '->')
    .replace(/[≤]/g, '<=')
    .replace(/[≥]/g, '>=')
    .replace(/[–—]/g, '-')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[×]/g, 'x')
    .normalize('NFC')
    .replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

const kg = (g: number) => (g / 1000).toFixed(3);

const CATEGORY: Record<string, string> = {
  gift: 'Gift',
  sample: 'Commercial sample',
  documents: 'Documents',
  returned_goods: 'Returned goods',
  merchandise: 'Sale of goods',
  other: 'Other',
};

export async function declarationPdf(result: CustomsResult, input: CustomsInput, parties: DocumentParties): Promise<Uint8Array> {
  const name = result.form === 'CN22' ? 'cn22' : result.form === 'CN23' ? 'cn23' : 'commercial-invoice';
  const l = layout(name);
  const doc = await PDFDocument.create();
  doc.setTitle(`${l.title} ${parties.reference}`);
  doc.setProducer('merchant');
  doc.setCreationDate(new Date(`${input.date}T00:00:00Z`));
  doc.setModificationDate(new Date(`${input.date}T00:00:00Z`));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595.28, 841.89]); // A4
  const w = new Writer(page, font, bold);

  w.text(l.title, 16, true);
  if (l.subtitle) w.text(l.subtitle, 9);
  w.gap(6);
  w.text(`Reference ${parties.reference}   Date ${input.date}   ${result.from} -> ${result.to}   ${input.service}, ${input.incoterm}`, 9);
  w.gap(4);
  const addr = (a: Address & { legalName?: string }) =>
    [a.legalName ?? a.company, a.name, a.street1, a.street2, [a.postalCode, a.city].filter(Boolean).join(' '), a.state, a.country, a.phone, a.email]
      .filter(Boolean)
      .join(', ');
  w.text(`From: ${addr(parties.sender)}`, 9);
  if (parties.recipient) w.text(`To: ${addr(parties.recipient)}`, 9);
  for (const [k, v] of parties.ids) w.text(`${k}: ${v}`, 9);
  w.gap(6);

  if (l.categories) {
    const chosen = CATEGORY[input.contentsType] ?? 'Other';
    w.text(`Category: ${l.categories.map((c) => `[${c === chosen ? 'X' : ' '}] ${c}`).join('  ')}`, 8);
    w.gap(4);
  }
  if (name === 'commercial-invoice') {
    const net = result.netWeightGrams;
    const values: Record<string, string> = {
      'Invoice no.': parties.invoiceNumber,
      'Invoice date': input.date,
      'Reason for export': input.contentsType === 'merchandise' ? 'Sale' : input.contentsType,
      'Terms of sale (Incoterm)': `${input.incoterm} ${result.to}`,
      Currency: input.currency,
      'Number of packages': '1',
      'Total net weight (kg)': kg(net),
      'Total gross weight (kg)': kg(result.grossWeightGrams),
    };
    for (const f of l.fields ?? []) w.text(`${f}: ${values[f] ?? ''}`, 9);
    w.gap(6);
  } else if (l.fields) {
    const values: Record<string, string> = {
      "Sender's customs reference": parties.ids.find(([k]) => k === 'EORI')?.[1] ?? '',
      'Importer\'s reference (tax code / VAT no. / importer code)': parties.ids.filter(([k]) => k !== 'EORI').map(([k, v]) => `${k} ${v}`).join(', '),
      'Postal charges / fees': `${result.shipping} ${result.currency}`,
      'Invoice no.': parties.invoiceNumber,
    };
    for (const f of l.fields) w.text(`${f}: ${values[f] ?? ''}`, 8);
    w.gap(6);
  }

  // Items table
  w.text(l.columns.join(' | '), 8, true);
  for (const it of result.items) {
    const cells =
      name === 'commercial-invoice'
        ? [it.description, it.hsCode ?? '', it.originCountry ?? '', String(it.quantity), `${it.unitValue}`, `${it.lineValue}`, kg(it.lineWeightGrams)]
        : name === 'cn22'
          ? [`${it.quantity} x ${it.description}`, kg(it.lineWeightGrams), `${it.lineValue} ${it.currency}`, it.hsCode ?? '', it.originCountry ?? '']
          : [it.description, String(it.quantity), kg(it.lineWeightGrams), `${it.lineValue} ${it.currency}`, it.hsCode ?? '', it.originCountry ?? ''];
    w.text(cells.join(' | '), 9);
  }
  w.gap(4);
  w.text(`Total value: ${result.value} ${result.currency}    Total gross weight: ${kg(result.grossWeightGrams)} kg`, 10, true);
  w.gap(8);
  w.paragraph(l.certification, 8);
  w.gap(10);
  w.text(`Date and signature: ${input.date}  ${parties.signer ?? parties.sender.name ?? parties.sender.legalName ?? ''}`, 9);
  w.gap(12);
  w.text(`Rules applied (merchant customs check): ${result.rules.map((r) => r.id).join(', ')}`, 6);
  w.text(`Layout: ${l.source}`, 6);
  return doc.save({ useObjectStreams: false });
}

class Writer {
  private y = 800;
  constructor(
    private page: PDFPage,
    private font: PDFFont,
    private bold: PDFFont,
  ) {}
  text(s: string, size: number, isBold = false): void {
    const f = isBold ? this.bold : this.font;
    let t = latin(s);
    const max = 515;
    while (t.length > 1 && f.widthOfTextAtSize(t, size) > max) t = t.slice(0, -2);
    this.page.drawText(t, { x: 40, y: this.y, size, font: f, color: rgb(0, 0, 0) });
    this.y -= size + 4;
  }
  paragraph(s: string, size: number): void {
    const words = latin(s).split(/\s+/);
    let line = '';
    for (const word of words) {
      const next = line ? `${line} ${word}` : word;
      if (this.font.widthOfTextAtSize(next, size) > 515) {
        this.text(line, size);
        line = word;
      } else line = next;
    }
    if (line) this.text(line, size);
  }
  gap(n: number): void {
    this.y -= n;
  }
}
