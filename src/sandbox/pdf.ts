// A real, minimal PDF (one page, Helvetica text, a few boxes) for shipping labels and commercial
// invoices: valid xref table and offsets, so PDF readers and `file` accept it.

export interface PdfPage {
  /** Points; a 4x6 in label is 288 x 432. */
  width: number;
  height: number;
  lines: Array<{ text: string; x: number; y: number; size?: number; bold?: boolean }>;
  boxes?: Array<{ x: number; y: number; w: number; h: number }>;
  /** Vertical bars of a fake barcode derived from this text. */
  barcode?: { text: string; x: number; y: number; h: number };
}

function esc(s: string): string {
  // Latin-1 only in a standard-14 font: replace anything else.
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
}

export function renderPdf(page: PdfPage, title = 'Label'): Buffer {
  const ops: string[] = [];
  for (const b of page.boxes ?? []) ops.push(`${b.x} ${b.y} ${b.w} ${b.h} re S`);
  if (page.barcode) {
    let x = page.barcode.x;
    for (const ch of page.barcode.text) {
      const c = ch.charCodeAt(0);
      for (let bit = 0; bit < 7; bit++) {
        const w = (c >> bit) & 1 ? 2 : 1;
        if (bit % 2 === 0) ops.push(`${x} ${page.barcode.y} ${w} ${page.barcode.h} re f`);
        x += w + 1;
      }
    }
  }
  for (const l of page.lines) ops.push(`BT /${l.bold ? 'F2' : 'F1'} ${l.size ?? 10} Tf ${l.x} ${l.y} Td (${esc(l.text)}) Tj ET`);
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title (${esc(title)}) /Producer (merchant sandbox) >>`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export interface LabelInfo {
  carrier: string;
  service: string;
  tracking: string;
  from: string[];
  to: string[];
  weight: string;
  date: string;
  reference?: string;
}

export function labelPdf(l: LabelInfo): Buffer {
  const lines: PdfPage['lines'] = [
    { text: l.carrier.toUpperCase(), x: 14, y: 404, size: 18, bold: true },
    { text: l.service, x: 14, y: 386, size: 10 },
    { text: 'FROM:', x: 14, y: 362, size: 7, bold: true },
    ...l.from.map((t, i) => ({ text: t, x: 14, y: 352 - i * 9, size: 7 })),
    { text: 'SHIP TO:', x: 14, y: 296, size: 9, bold: true },
    ...l.to.map((t, i) => ({ text: t, x: 24, y: 282 - i * 13, size: 11, bold: i === 0 })),
    { text: `TRACKING #: ${l.tracking}`, x: 14, y: 120, size: 10, bold: true },
    { text: `Weight ${l.weight}   Date ${l.date}${l.reference ? `   Ref ${l.reference}` : ''}`, x: 14, y: 30, size: 7 },
    { text: 'SANDBOX LABEL - NOT VALID FOR SHIPPING', x: 14, y: 14, size: 7, bold: true },
  ];
  return renderPdf(
    {
      width: 288,
      height: 432,
      lines,
      boxes: [{ x: 8, y: 8, w: 272, h: 416 }, { x: 8, y: 372, w: 272, h: 52 }],
      barcode: { text: l.tracking, x: 20, y: 50, h: 60 },
    },
    `${l.carrier} ${l.tracking}`,
  );
}

export function invoicePdf(title: string, lines: string[]): Buffer {
  return renderPdf(
    { width: 612, height: 792, lines: [{ text: title, x: 50, y: 740, size: 16, bold: true }, ...lines.map((t, i) => ({ text: t, x: 50, y: 710 - i * 14, size: 9 }))] },
    title,
  );
}

/** A valid 1x1 white PNG (label_url when PNG is asked for; the PDF URL carries the real content). */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==', 'base64');
