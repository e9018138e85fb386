// Rendering shared by `customs check`, `customs declare` and `ship book` (which runs the check first).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../../context.js';
import { InvalidInputError, UsageError, type InputProblem } from '../../../core/errors.js';
import { printFields, printJson, printRows } from '../../render.js';
import type { CustomsResult, Finding } from '../../../core/customs/types.js';

export const CUSTOMS_EXIT_CODES = `
Exit codes: 0 no errors (warnings allowed) · 2 bad flag · 3 the declaration has errors (each names
its item: missing/invalid HS code, lithium battery refused by the post, …) or the file is invalid ·
7 not configured. Run \`merchant help exit-codes\` for all codes.`;

export function examples(lines: string[], extra = ''): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n${extra}`;
}

/** Read a file argument, `-` meaning stdin. */
export async function readInputFile(ctx: Ctx, file: string): Promise<{ text: string; name: string }> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of ctx.io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
  }
  const path = resolve(ctx.cwd, file);
  try {
    return { text: readFileSync(path, 'utf8'), name: file };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

export async function renderCustoms(ctx: Ctx, r: CustomsResult, notes: string[] = []): Promise<void> {
  const io = ctx.io;
  for (const n of notes) io.warn(n);
  if (ctx.globals.json) {
    printJson(io, r);
    return;
  }
  const duty = r.charges.filter((c) => c.kind === 'duty').map((c) => `${c.amount} ${c.currency} (${c.rule})`);
  const fees = r.charges.filter((c) => c.kind === 'fee').map((c) => `${c.amount} ${c.currency} (${c.rule})`);
  const collector = r.vatCollector === 'marketplace' ? 'the marketplace (deemed supplier)' : r.vatCollector === 'seller' ? 'you' : 'nobody at sale: at import';
  const onDecl = r.declarationIds.map((d) => `${d.id} ${d.number ?? '(the marketplace\'s, from the order)'}${d.holder === 'marketplace' ? ' (marketplace)' : ''}`);
  const terr = (country: string, t: string) => (t && t !== country ? `${country} (${t})` : country);
  await printFields(io, [
    ['form', r.form],
    ['route', `${terr(r.from, r.fromTerritory)} → ${terr(r.to, r.toTerritory)} (${r.regime}), ${r.service}, ${r.incoterm}, ${r.date}`],
    ['value', `${r.value} ${r.currency} goods + ${r.shipping} ${r.currency} shipping, ${r.grossWeightGrams} g`],
    ['vat at sale', yes(r.vatCollectedAtSale)],
    ['vat collected by', `${collector} — ${r.vatScheme}, ${r.vatCountry}`],
    ['required ids', r.requiredIds.join(', ') || '-'],
    ['on the declaration', onDecl.join(', ') || undefined],
    ['duty', `${yes(r.dutyApplies)}${duty.length ? ` — ${duty.join(', ')}` : ''}`],
    ['fees', fees.join(', ') || undefined],
  ]);
  if (r.thresholds.length) {
    io.out('');
    await printRows(io, r.thresholds, [
      { header: 'TEST', value: (t) => t.rule },
      { header: 'VALUE', value: (t) => `${t.value.amount} ${t.value.currency}`, align: 'right' },
      { header: 'IS', value: (t) => t.comparison },
      { header: 'THRESHOLD', value: (t) => `${t.threshold.amount} ${t.threshold.currency}`, align: 'right' },
      { header: 'RATE', value: (t) => (t.fx ? `${t.fx.from}/${t.fx.to} ${t.fx.rate} (${t.fx.source} ${t.fx.rateDate}${t.fx.basis ? `; ${t.fx.basis}` : ''})` : ''), overflow: 'wrap' },
    ]);
  }
  io.out('');
  await printRows(io, r.rules, [
    { header: 'RULE', value: (x) => x.id, overflow: 'keep' },
    { header: 'FROM', value: (x) => x.effectiveFrom },
    { header: 'OUTCOME', value: (x) => x.outcome, overflow: 'wrap' },
    { header: 'SOURCE', value: (x) => x.source },
  ]);
  for (const w of r.warnings) io.warn(`${w.code}: ${w.message}`);
}

export function findingProblems(errors: Finding[], file?: string): InputProblem[] {
  return errors.map((e) => ({
    ...(file ? { file } : {}),
    ...(e.itemIndex ? { field: `items[${e.itemIndex - 1}]` } : {}),
    ...(e.item ? { item: e.item } : {}),
    rule: e.code,
    message: e.message,
  }));
}

/** After rendering: exit 3 when the declaration has errors (the document on stdout stays the only JSON). */
export function failOnErrors(ctx: Ctx, r: CustomsResult, file?: string): void {
  if (r.errors.length === 0) return;
  const items = [...new Set(r.errors.filter((e) => e.item).map((e) => e.item))];
  const msg = `the customs declaration has ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}${items.length ? ` (${items.join('; ')})` : ''}: a booking would be refused until they are fixed`;
  // The result (with its errors) is already on stdout; keep --json output to that one document.
  if (ctx.globals.json) ctx.setGlobals({ json: false });
  throw new InvalidInputError(msg, {
    problems: findingProblems(r.errors, file),
    hints: ['fix the items named above (HS codes: 6, 8 or 10 digits of HS 2022, e.g. "691200")'],
  });
}
