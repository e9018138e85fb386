// Every --json output is one document that matches docs/schemas/<noun>-<verb>.schema.json (draft 2020-12).
// The commands are run for real against the sandbox; a command that takes --json without a schema fails
// here, and a command without a JSON output refuses --json (exit 2) instead of printing text.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSON_COMMANDS, JSON_REFUSED, schemaFile } from '../../src/cli/json-commands.js';
import { world } from '../sync/helpers.js';

const DIR = resolve(import.meta.dirname, '../../docs/schemas');

// --json outputs not yet described by a schema (their shapes still predate the shared conventions).
// Shrink this list; the test fails when one of them gets a schema without being removed from it.
const PENDING = new Set([
  'onboard', 'onboard check', 'marketplace connect', 'marketplace remove', 'carrier connect',
  'listings import', 'listings template', 'listings show',
  'fx update', 'fx convert', 'fx rates',
  'prices rules set', 'prices rules remove', 'prices explain', 'prices update',
  'sync', 'sync rules set', 'sync rules remove',
  'orders show', 'orders import', 'customs check', 'customs declare',
  'ship rates', 'ship book', 'ship label', 'ship track', 'ship void',
  'report sales', 'sandbox start', 'doctor', 'config get', 'onboard status', 'ship list',
]);

// Commands that need an argument and a prepared order: their outputs are checked against the schema
// in their own tests (the file named).
const CHECKED_ELSEWHERE = new Map([['orders ship', 'test/orders/ship.test.ts']]);

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const f of readdirSync(DIR)) ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
  return (path: string) => {
    const v = ajv.getSchema(`https://merchant.local/schemas/${schemaFile(path)}`);
    if (!v) throw new Error(`no schema for ${path}`);
    return v;
  };
}

describe('JSON schemas', () => {
  it('every command that takes --json has a schema (or is named as pending); every schema belongs to one', () => {
    const missing = [...JSON_COMMANDS].filter((c) => !PENDING.has(c) && !existsSync(join(DIR, schemaFile(c))));
    expect(missing, 'commands with --json and no docs/schemas file').toEqual([]);
    const stale = [...PENDING].filter((c) => existsSync(join(DIR, schemaFile(c))));
    expect(stale, 'schemas exist: remove these from PENDING').toEqual([]);
    const files = readdirSync(DIR).filter((f) => f !== 'defs.schema.json');
    const owners = new Set([...JSON_COMMANDS].map(schemaFile));
    expect(files.filter((f) => !owners.has(f)), 'schemas of no command').toEqual([]);
    validator(); // every schema compiles (strict mode)
  });

  it('list outputs against the sandbox match their schemas: {"items": […]}, money objects, UTC timestamps', async () => {
    const w = await world(['shopify']);
    const must = async (args: string[]) => {
      const r = await w.cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await must(['sync', '--yes']);
    await must(['carrier', 'connect', 'easypost', '--sandbox', w.sb.url]);
    await must(['prices', 'rules', 'set', 'se', '--channel', 'shopify', '--margin', '25%', '--fee', '2%+0.30', '--vat', '25%', '--vat-included', '--ending', '.99']);
    await must(['sync', 'rules', 'set', 'half', '--channel', 'shopify', '--percent', '50%']);
    const schemaOf = validator();
    const checked: string[] = [];
    for (const path of [...JSON_COMMANDS].filter((c) => existsSync(join(DIR, schemaFile(c))) && !CHECKED_ELSEWHERE.has(c))) {
      const r = await must([...path.split(' '), '--json']);
      const doc = JSON.parse(r.stdout);
      const v = schemaOf(path);
      expect(v(doc), `${path}: ${JSON.stringify(v.errors)}\n${r.stdout.slice(0, 1500)}`).toBe(true);
      expect(doc.items.length, `${path} printed no items: the check proved nothing`).toBeGreaterThan(0);
      checked.push(path);
    }
    expect(checked.length).toBe(readdirSync(DIR).length - 1 - CHECKED_ELSEWHERE.size);
  }, 60_000);

  it('a command without a JSON output refuses --json with exit 2 and prints no text on stdout', async () => {
    const w = await world([]);
    for (const path of Object.keys(JSON_REFUSED).filter((p) => p !== 'demo')) {
      const args = path === 'config set' ? ['config', 'set', 'fx.maxAgeDays', '3'] : path === 'config unset' ? ['config', 'unset', 'fx.maxAgeDays'] : path.split(' ');
      const r = await w.cli([...args, '--json']);
      expect(r.code, path).toBe(2);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'usage' });
      expect(r.stderr).toMatch(/does not take --json/);
    }
  });
});
