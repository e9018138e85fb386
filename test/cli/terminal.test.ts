// The built binary on a real pseudo-terminal (util-linux script(1)) of 80 and 160 columns, through a
// real pager, and on a real pipe: what a seller at a terminal and a script each get.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import stringWidth from 'string-width';
import { BIN, run, runBin } from '../helpers/run.js';

// More than a pipe buffer (64 KiB) holds, so a pager that quits early leaves us writing into a closed pipe.
const ROWS = 2000;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'merchant-tty-'));
  const lines = ['sku,handle,title,variant_title,price,currency,quantity'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`SKU-${String(i).padStart(5, '0')},mug-${i >> 2},Stoneware mug with a hand-thrown celadon glaze no. ${i >> 2},Size ${i & 3},${100 + i}.50,EUR,${i % 50}`);
  }
  const csv = join(home, 'catalogue.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const r = await run(['listings', 'import', csv, '--quiet'], { home });
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

interface PtyRun {
  code: number;
  /** What the terminal showed, escape sequences and carriage returns removed. */
  screen: string;
  raw: string;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>]|\x1b\][^\x07]*\x07/g;

/**
 * Run `merchant args` on a pseudo-terminal of `cols` × `rows`. `keys(output, write)` may type into
 * it once something has appeared (event-driven: no sleeps).
 */
function pty(args: string[], o: { cols: number; rows?: number; env?: Record<string, string>; keys?: (seen: string, type: (s: string) => void) => void }): Promise<PtyRun> {
  const cmd = `stty cols ${o.cols} rows ${o.rows ?? 24}; exec ${process.execPath} ${BIN} ${args.map((a) => `'${a}'`).join(' ')}`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', TERM: 'xterm-256color', MERCHANT_HOME: home, NO_COLOR: '1', ...o.env };
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let raw = '';
    const type = (s: string) => child.stdin.write(s);
    child.stdout.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
      o.keys?.(raw, type);
    });
    child.on('close', (code) => {
      const screen = raw.replace(ANSI, '').replace(/\r/g, '');
      resolve({ code: code ?? -1, screen, raw });
    });
  });
}

const tableLines = (screen: string) => screen.split('\n').filter((l) => /^SKU(-\d+)?\s/.test(l));

describe('listings list on a terminal', () => {
  for (const cols of [80, 160]) {
    it(`fits ${cols} columns: no line wraps, text cut with … only where needed, SKUs and prices whole`, async () => {
      const r = await pty(['listings', 'list', '--no-pager'], { cols });
      expect(r.code).toBe(0);
      const lines = tableLines(r.screen);
      expect(lines).toHaveLength(ROWS + 1);
      expect(lines[0]).toMatch(/^SKU\s+PRODUCT\s+VARIANT\s+PRICE\s+STOCK\s+CHANNELS$/);
      for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(cols);
      for (let i = 0; i < ROWS; i++) expect(lines[i + 1]).toMatch(new RegExp(`^SKU-${String(i).padStart(5, '0')}\\s.*\\s${100 + i}\\.50 EUR\\s`));
      if (cols === 80) expect(lines[1]).toMatch(/^SKU-00000  Stoneware mug with a hand-\S*…  Size 0 /);
      else expect(lines[1]).toMatch(/^SKU-00000  Stoneware mug with a hand-thrown celadon glaze no\. 0 +Size 0 /);
    });
  }
});

describe('the pager', () => {
  it('less -FRX by default: the first screen, then q quits; exit 0, no EPIPE, nothing after it', async () => {
    // (No LANG in this environment: less still shows the UTF-8 … as one character, not <E2><80><A6>.)
    let typed = false;
    const r = await pty(['listings', 'list'], {
      cols: 80,
      rows: 24,
      keys: (seen, type) => {
        // The first screen is up (rows 0–21) and less shows its prompt (it is reading keys now, not
        // before: a key typed earlier is flushed when it takes the terminal): quit, as a person would.
        if (!typed && /SKU-00021[^\n]*\n:/.test(seen)) {
          typed = true;
          type('q');
        }
      },
    });
    expect(typed).toBe(true);
    expect(r.code).toBe(0);
    expect(r.screen).not.toMatch(/EPIPE|error|Error/);
    expect(r.screen).not.toContain(`SKU-${String(ROWS - 1).padStart(5, '0')}`); // never got that far
  });

  it('a pager that quits by itself early (head) is not an error either', async () => {
    const r = await pty(['listings', 'list'], { cols: 80, env: { MERCHANT_PAGER: 'head -n 3' } });
    expect(r.code).toBe(0);
    expect(tableLines(r.screen)).toHaveLength(3);
    expect(r.screen).not.toMatch(/EPIPE|error/i);
  });

  it('a pager that exits without reading anything: no output, no error, exit 0', async () => {
    const r = await pty(['listings', 'list'], { cols: 80, env: { MERCHANT_PAGER: 'true' } });
    expect(r.code).toBe(0);
    expect(r.screen.trim()).toBe('');
  });

  it('a short list: less -F shows it and returns at once; a message follows the table it is about', async () => {
    const r = await pty(['listings', 'list', '--sku', 'NO-SUCH-*'], { cols: 80 });
    expect(r.code).toBe(0);
    const header = r.screen.indexOf('SKU  PRODUCT');
    const message = r.screen.indexOf('no SKUs match');
    expect(header).toBeGreaterThanOrEqual(0);
    expect(message).toBeGreaterThan(header);
  });

  it('--no-pager, MERCHANT_PAGER=cat and the pager setting are honoured; an error follows the output', async () => {
    const viaCat = await pty(['listings', 'list'], { cols: 160, env: { MERCHANT_PAGER: 'cat' } });
    expect(tableLines(viaCat.screen)).toHaveLength(ROWS + 1);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ pager: 'head -n 2' }));
    try {
      const viaSetting = await pty(['listings', 'list'], { cols: 160 });
      expect(tableLines(viaSetting.screen)).toHaveLength(2);
      const flag = await pty(['listings', 'list', '--no-pager'], { cols: 160 });
      expect(tableLines(flag.screen)).toHaveLength(ROWS + 1);
    } finally {
      rmSync(join(home, 'config.json'));
    }
  });

  it('never on a pipe: a header line, every row, nothing cut, no escape codes', () => {
    const r = runBin(['listings', 'list'], { env: { MERCHANT_HOME: home, MERCHANT_PAGER: 'head -n 1' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[0]).toBe('SKU\tPRODUCT\tVARIANT\tPRICE\tSTOCK\tCHANNELS');
    expect(lines[1]).toBe('SKU-00000\tStoneware mug with a hand-thrown celadon glaze no. 0\tSize 0\t100.50 EUR\t0\t');
    expect(r.stdout).not.toMatch(/…|\x1b\[/);
  });
});
