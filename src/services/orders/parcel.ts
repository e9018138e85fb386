// What goes into one parcel of an order (issue #21): `--lines SKU:QTY,…` on `orders ship` and
// `ship book`, checked against what the order's lines still have unshipped; without --lines the parcel
// holds everything not yet in another parcel. Pure: the caller reads the lines and records the parcel.

import { InvalidInputError, UsageError, type InputProblem } from '../../core/errors.js';
import type { ConfirmationLine } from '../../ports/confirmations.js';

export interface ShippableLine {
  externalLineId: string;
  sku: string | null;
  title: string | null;
  quantity: number;
  /** Units already in a recorded parcel. */
  inParcels: number;
}

export interface LineRequest {
  sku: string;
  quantity: number;
}

/** "MUG-BLU-S:2,BOWL-GRY-M:1" → requests; a SKU without ":QTY" means 1. */
export function parseLinesOption(text: string): LineRequest[] {
  const out: LineRequest[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)(?::(\d+))?$/.exec(part);
    const sku = m?.[1]?.trim();
    const qty = m?.[2] === undefined ? 1 : Number(m[2]);
    if (!sku || !Number.isInteger(qty) || qty < 1) throw new UsageError(`--lines takes SKU:QTY pairs separated by commas (e.g. MUG-BLU-S:2,BOWL-GRY-M:1), got "${part}"`);
    const prev = out.find((x) => x.sku === sku);
    if (prev) prev.quantity += qty;
    else out.push({ sku, quantity: qty });
  }
  if (!out.length) throw new UsageError('--lines is empty; give SKU:QTY pairs, e.g. --lines MUG-BLU-S:2');
  return out;
}

/**
 * The parcel's lines. Without a request: every unit not yet in a parcel. With one: those units, taken
 * from the order's lines of that SKU in order; more than is left unshipped is refused, naming the SKU.
 */
export function planParcel(orderLabel: string, lines: readonly ShippableLine[], requested?: readonly LineRequest[]): ConfirmationLine[] {
  const left = (l: ShippableLine) => Math.max(0, l.quantity - l.inParcels);
  if (!requested) {
    const all = lines.filter((l) => left(l) > 0).map((l) => ({ externalLineId: l.externalLineId, sku: l.sku, quantity: left(l) }));
    if (!all.length) throw new InvalidInputError(`order ${orderLabel}: every line is already in a parcel; nothing is left to ship`, { hints: [`\`merchant orders show ${orderLabel}\` lists its parcels`] });
    return all;
  }
  const problems: InputProblem[] = [];
  const out: ConfirmationLine[] = [];
  for (const r of requested) {
    const ofSku = lines.filter((l) => l.sku === r.sku);
    if (!ofSku.length) {
      problems.push({ field: '--lines', rule: 'sku', message: `${r.sku} is not in order ${orderLabel} (its SKUs: ${[...new Set(lines.map((l) => l.sku ?? '?'))].join(', ')})` });
      continue;
    }
    const available = ofSku.reduce((a, l) => a + left(l), 0);
    if (r.quantity > available) {
      problems.push({ field: '--lines', rule: 'quantity', message: `${r.sku}: ${r.quantity} asked, ${available} left unshipped (ordered ${ofSku.reduce((a, l) => a + l.quantity, 0)})` });
      continue;
    }
    let need = r.quantity;
    for (const l of ofSku) {
      const take = Math.min(need, left(l));
      if (take > 0) out.push({ externalLineId: l.externalLineId, sku: l.sku, quantity: take });
      need -= take;
    }
  }
  if (problems.length) throw new InvalidInputError(`order ${orderLabel}: --lines does not fit what is left to ship; nothing was recorded`, { problems, hints: [`\`merchant orders show ${orderLabel}\` shows each line and what is already shipped`] });
  return out;
}
