import { describe, it, expect } from 'vitest';
import { run, runBin, tempDir } from '../helpers/run.js';

describe('global conventions', () => {
  it('--help lists every noun with examples and exits 0; piped output has no escape codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: merchant/);
    expect(r.stdout).toMatch(/onboard\s+Set up the business profile/);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('every command has --help with examples', async () => {
    const { NOUNS } = await import('../../src/cli/commands/registry.js');
    const { buildProgram } = await import('../../src/cli/program.js');
    const { Ctx } = await import('../../src/cli/context.js');
    const { IO } = await import('../../src/cli/io.js');
    const { PassThrough } = await import('node:stream');
    const leaves: string[][] = [];
    for (const noun of NOUNS) {
      const io = new IO({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), isStdoutTTY: false, isStderrTTY: false, isStdinTTY: false, env: {} });
      const program = await buildProgram(new Ctx({ io }), [noun.name]);
      const walk = (cmd: import('commander').Command, path: string[]) => {
        const subs = cmd.commands.filter((c) => c.name() !== 'help');
        if (!subs.length || (cmd as unknown as { _actionHandler?: unknown })._actionHandler) leaves.push(path);
        for (const c of subs) walk(c, [...path, c.name()]);
      };
      const nounCmd = program.commands.find((c) => c.name() === noun.name)!;
      walk(nounCmd, [noun.name]);
    }
    expect(leaves.length).toBeGreaterThanOrEqual(NOUNS.length);
    for (const path of leaves) {
      const r = await run([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(/Examples:/);
    }
  });

  it('help exit-codes documents the codes scripts rely on', async () => {
    const r = await run(['help', 'exit-codes']);
    expect(r.code).toBe(0);
    for (const c of ['0', '1', '2', '3', '4', '5', '6', '7']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command or flag is a usage error (exit 2) on stderr, nothing on stdout', async () => {
    const a = await run(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stdout).toBe('');
    expect(a.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(a.stderr).toMatch(/merchant --help/);
    const b = await run(['onboard', '--bogus']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option '--bogus'/);
    expect(b.stderr).toMatch(/merchant onboard --help/);
  });

  it('--json errors are one JSON document on stdout with the exit code', async () => {
    const home = tempDir();
    const r = await run(['onboard', '--no-input', '--json'], { home });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(doc.error.message).toMatch(/missing --legal-name/);
  });

  it('NO_COLOR and --no-color remove colour even with FORCE_COLOR on a TTY', async () => {
    const home = tempDir();
    for (const extra of [{ env: { NO_COLOR: '1', FORCE_COLOR: '1' }, args: [] }, { env: { FORCE_COLOR: '1' }, args: ['--no-color'] }]) {
      const r = await run(['onboard', '--no-input', ...extra.args], { home, tty: true, env: extra.env });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\x1b\[/);
    }
    const coloured = await run(['onboard', '--no-input'], { home, tty: true, env: { FORCE_COLOR: '1' } });
    expect(coloured.stderr).toMatch(/\x1b\[/);
  });

  it('the built binary behaves the same on real pipes', () => {
    const r = runBin(['--help'], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: merchant/);
    const bad = runBin(['onboard', '--no-input'], { env: { MERCHANT_HOME: tempDir() } });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
