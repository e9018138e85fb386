// File names built from outside data stay inside the folder they belong to. An order id with "../"
// (from an imported order report) once made `customs declare` write its PDF outside the home.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { runBin, tempDir } from '../helpers/run.js';
import { fileInside, safeFileName } from '../../src/config/safe-path.js';
import { InvalidInputError } from '../../src/core/errors.js';

const FIX = resolve(import.meta.dirname, '../../fixtures');
const NOW = { MERCHANT_NOW: '2026-04-14T10:00:00Z' };

describe('safeFileName', () => {
  it('keeps ordinary ids as they are', () => {
    for (const id of ['O10-5600000002', '302-1234567-1000001', 'DECL-20260414-ABC', 'MUG_BLU.S', 'Zoë-ÅÄÖ-1']) expect(safeFileName(id)).toBe(id);
  });
  it('turns anything that could leave the folder or mean something else into one harmless name', () => {
    const cases = ['../../escape', '/etc/passwd', '..', '.', '', 'a/../../b', 'a\\..\\b', '-rf', '.hidden', 'con', 'NUL.txt', 'line\nbreak', 'tab\there', '$(rm -rf ~)', '~/x', 'a'.repeat(500)];
    const names = cases.map((c) => safeFileName(c));
    for (const [i, n] of names.entries()) {
      expect(n, JSON.stringify(cases[i])).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u);
      expect(n).not.toMatch(/\.\./);
      expect(n.length).toBeLessThanOrEqual(120);
      expect(n.toLowerCase()).not.toMatch(/^(con|nul)(\.|$)/);
    }
    // Two ids that differ only in what was replaced do not share a file.
    expect(safeFileName('a/b')).not.toBe(safeFileName('a_b'));
    expect(safeFileName('a/b')).not.toBe(safeFileName('a:b'));
  });
});

describe('fileInside', () => {
  it('gives a path inside the folder whatever the name', () => {
    const dir = tempDir();
    for (const name of ['../../escape', '/abs/path', '..', 'ok-name']) {
      const p = fileInside(dir, name, '.pdf');
      expect(resolve(p).startsWith(`${resolve(dir)}/`), p).toBe(true);
      expect(p.endsWith('.pdf')).toBe(true);
    }
  });
  it('refuses a symlink already at that path that points out of the folder (files are written through links)', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    symlinkSync(join(elsewhere, 'stolen.pdf'), join(dir, 'O1-100.pdf'));
    expect(() => fileInside(dir, 'O1-100', '.pdf')).toThrow(InvalidInputError);
    expect(() => fileInside(dir, 'O1-100', '.pdf')).toThrow(/a link to .*stolen\.pdf.*outside/);
    // A link that stays inside is fine.
    symlinkSync(join(dir, 'real.pdf'), join(dir, 'O1-101.pdf'));
    expect(fileInside(dir, 'O1-101', '.pdf')).toBe(join(dir, 'O1-101.pdf'));
  });
});

describe('customs declare with an order id from an imported report', () => {
  it('writes the PDF inside documents/ whatever the order id says, and nothing anywhere else', () => {
    const root = tempDir();
    const home = join(root, 'shop', 'home');
    mkdirSync(home, { recursive: true });
    const env = { MERCHANT_HOME: home, ...NOW };
    expect(runBin(['onboard', '--no-input', '--from', join(FIX, 'demo', 'profile.json')], { env }).code).toBe(0);
    expect(runBin(['listings', 'import', join(FIX, 'demo', 'catalogue-shopify.csv')], { env }).code).toBe(0);
    expect(runBin(['fx', 'update', '--file', join(FIX, 'ecb', 'eurofxref.csv')], { env }).code).toBe(0);
    // A Shopify orders export whose order Id climbs out of the home (to root/escape-….pdf).
    const rows = parse(readFileSync(join(FIX, 'orders', 'shopify-orders-export.csv')), { columns: true }) as Array<Record<string, string>>;
    const o = { ...rows[0]!, Id: '../../escape', 'Shipping Country': 'GB', 'Billing Country': 'GB', 'Shipping City': 'London', 'Shipping Zip': 'SW1A 1AA', 'Created at': '2026-04-13 10:15:00 +0100' };
    const report = join(root, 'orders_export.csv');
    writeFileSync(report, stringify([o], { header: true, columns: Object.keys(rows[0]!) }));
    const imp = runBin(['orders', 'import', report], { env });
    expect(imp.code, imp.stderr).toBe(0);
    const r = runBin(['customs', 'declare', '../../escape', '--date', '2026-04-14'], { env });
    expect(r.code, r.stderr).toBe(0);
    const written = r.stdout.trim();
    expect(written.startsWith(join(home, 'documents') + '/'), written).toBe(true);
    expect(existsSync(written)).toBe(true);
    expect(readFileSync(written).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readdirSync(root).sort()).toEqual(['orders_export.csv', 'shop']);
    expect(readdirSync(join(root, 'shop'))).toEqual(['home']);
  });
});
