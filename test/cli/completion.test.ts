// `merchant completion bash|zsh|fish`: the scripts are generated from the commander tree, and the bash
// one is exercised by bash itself — COMP_WORDS in, COMPREPLY out — as a shell would on TAB.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { run, runBin } from '../helpers/run.js';
import { CHANNELS } from '../../src/core/channels.js';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'merchant-completion-'));
  // The built binary, as a user runs it (loading every command in-process under vitest is slow).
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = runBin(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = r.stdout;
    writeFileSync(join(dir, `merchant.${shell}`), r.stdout);
  }
  // Files for file completion.
  mkdirSync(join(dir, 'files'));
  for (const f of ['shop.csv', 'shop-2.csv', 'notes.txt']) writeFileSync(join(dir, 'files', f), '');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash completes for each list of words (the last one being the word under the cursor): one bash run. */
function bashCompleteAll(cases: string[][]): string[][] {
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const driver = [
    `source ${q(join(dir, 'merchant.bash'))}`,
    ...cases.map((words) => `COMP_WORDS=(${words.map(q).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _merchant; printf '%s\\n' "\${COMPREPLY[@]}"; echo '<end>'`),
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], { cwd: join(dir, 'files'), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const blocks = r.stdout.split('<end>\n');
  return cases.map((_, i) => blocks[i]!.split('\n').filter(Boolean).sort());
}

/** Check many completions in one bash run: [words, expected] pairs. */
function expectCompletions(pairs: Array<[string[], string[]]>): void {
  const got = bashCompleteAll(pairs.map(([w]) => w));
  pairs.forEach(([words, want], i) => expect(got[i], words.join(' ')).toEqual([...want].sort()));
}

describe('merchant completion', () => {
  it('refuses an unknown shell (exit 2) and documents itself', async () => {
    const r = await run(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh or fish/);
    expect(r.stdout).toBe('');
  });

  it('bash: nouns, verbs, flags with global ones, after global flags too', () => {
    expectCompletions([
      [['merchant', ''], ['carrier', 'completion', 'config', 'customs', 'demo', 'doctor', 'fx', 'help', 'listings', 'marketplace', 'onboard', 'orders', 'prices', 'report', 'sandbox', 'ship', 'stock', 'sync', 'unlock']],
      [['merchant', 'li'], ['listings']],
      [['merchant', 'listings', ''], ['export', 'import', 'list', 'publish', 'show', 'template']],
      [['merchant', '--home', '/tmp/x', '--json', 'prices', 'rules', ''], ['list', 'remove', 'set']],
      [['merchant', 'listings', 'import', '--dr'], ['--dry-run']],
    ]);
    const [flags] = bashCompleteAll([['merchant', 'sync', '--']]);
    for (const f of ['--dry-run', '--yes', '--marketplace', '--only', '--allow-mass-change', '--json', '--quiet', '--no-pager', '--help']) expect(flags).toContain(f);
    expect(flags).not.toContain('--version'); // merchant's own, not sync's
  });

  it('bash: channel and marketplace names, choices, comma lists, positional values, files', () => {
    expectCompletions([
      [['merchant', 'listings', 'list', '--channel', ''], CHANNELS.map((c) => c.code)],
      [['merchant', 'prices', 'rules', 'set', 'uk', '--channel', 'amazon-u'], ['amazon-uk', 'amazon-us']],
      [['merchant', 'listings', 'list', '--channel', '=', 'ebay-u'], ['ebay-uk', 'ebay-us']], // --channel=ebay-u
      [['merchant', 'sync', '--marketplace', ''], ['amazon', 'ebay', 'shopify']],
      [['merchant', 'sync', '--marketplace', 'amazon,s'], ['amazon,shopify']],
      [['merchant', 'sync', '--only', ''], ['inventory', 'listings', 'orders', 'prices']],
      [['merchant', 'report', 'sales', '--group-by', 'month,c'], ['month,channel', 'month,country', 'month,currency']],
      [['merchant', 'listings', 'list', '--format', ''], ['csv', 'json', 'table']],
      [['merchant', 'marketplace', 'connect', ''], ['amazon', 'ebay', 'shopify']],
      [['merchant', 'carrier', 'connect', ''], ['easypost', 'shippo']],
      [['merchant', 'onboard', 'check', ''], ['amazon', 'ebay', 'shopify']],
      [['merchant', 'onboard', 'check', 'ebay', ''], ['account', 'agreement', 'deposit', 'documents', 'first-listing']],
      [['merchant', 'completion', ''], ['bash', 'fish', 'zsh']],
      [['merchant', 'listings', 'template', 'shopify/'], ['shopify/2024', 'shopify/legacy']],
      [['merchant', 'listings', 'import', 'sh'], ['shop-2.csv', 'shop.csv']],
      [['merchant', 'listings', 'import', 'shop.csv', 'no'], ['notes.txt']], // <file...>
      [['merchant', 'listings', 'import', '--rejects', 'no'], ['notes.txt']],
      [['merchant', 'listings', 'list', '--sku', ''], []], // a pattern: nothing to offer
      [['merchant', 'help', 'exit'], ['exit-codes']],
    ]);
  });

  it('every flag of every command is in the script (it is generated from the command tree)', async () => {
    const { buildFullProgram } = await import('../../src/cli/program.js');
    const { Ctx } = await import('../../src/cli/context.js');
    const { IO } = await import('../../src/cli/io.js');
    const { PassThrough } = await import('node:stream');
    const io = new IO({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), isStdoutTTY: false, isStderrTTY: false, isStdinTTY: false, env: {} });
    const program = await buildFullProgram(new Ctx({ io }));
    const expected: Array<[string[], string[]]> = [];
    const walk = (cmd: import('commander').Command, path: string[]) => {
      for (const sub of cmd.commands) {
        const p = [...path, sub.name()];
        expected.push([p, sub.options.filter((o) => o.long && !o.hidden).map((o) => o.long!)]);
        walk(sub, p);
      }
    };
    walk(program, []);
    const offered = bashCompleteAll(expected.map(([p]) => ['merchant', ...p, '-']));
    let checked = 0;
    expected.forEach(([p, flags], i) => {
      for (const f of flags) {
        expect(offered[i], `${p.join(' ')} ${f}`).toContain(f);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(100);
  });

  it.runIf(has('zsh'))('zsh: the script parses and completes through its own functions', () => {
    const stubs = `
compdef() { :; }
compset() { :; }
compadd() { while [[ "$1" == -* ]]; do [[ "$1" == "--" ]] && { shift; break; }; shift; done; print -r -- "$@"; }
_describe() { local -a names; names=("\${(@)\${(P)\${@[-1]}}%%:*}"); print -r -- "\${names[@]}"; }
_files() { print -r -- "<files>"; }
source ${JSON.stringify(join(dir, 'merchant.zsh'))}
t() { words=("$@"); CURRENT=\${#words}; _merchant; }
t merchant listings ''
t merchant listings list --channel ''
t merchant marketplace connect ''
t merchant listings import ''`;
    const r = spawnSync('zsh', ['-f', '-c', stubs], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('import template list show export publish');
    expect(lines[1]!.split(' ').sort()).toEqual(CHANNELS.map((c) => c.code).sort());
    expect(lines[2]).toBe('amazon ebay shopify');
    expect(lines[3]).toBe('<files>');
  });

  it.runIf(has('fish'))('fish: `complete -C` offers subcommands, channel names and checklist items', () => {
    const script = `source ${JSON.stringify(join(dir, 'merchant.fish'))}
complete -C 'merchant listings '
echo ---
complete -C 'merchant listings list --channel ebay-'
echo ---
complete -C 'merchant onboard check amazon '`;
    const r = spawnSync('fish', ['--no-config', '-c', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [subs, channels, items] = r.stdout.split('---\n').map((b) => b.trim().split('\n').map((l) => l.split('\t')[0]).sort());
    expect(subs).toEqual(['export', 'import', 'list', 'publish', 'show', 'template']);
    expect(channels).toEqual(['ebay-au', 'ebay-de', 'ebay-uk', 'ebay-us']);
    expect(items).toEqual(['account', 'agreement', 'deposit', 'documents', 'first-listing']);
  });
});
