// The TTY progress bar: rate and ETA from its own first frame, none while they would be noise.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { IO } from '../../src/cli/io.js';
import { collect } from '../helpers/run.js';

function ttyIO() {
  const stderr = new PassThrough();
  const io = new IO({ stdout: new PassThrough(), stderr, stdin: new PassThrough(), isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env: { NO_COLOR: '1' } });
  return { io, err: collect(stderr) };
}

describe('progress bar', () => {
  it('shows no rate in its first 0.2 s, then the rate of rows since its first frame, and an ETA from it', () => {
    const { io, err } = ttyIO();
    let t = 1_000;
    const bar = io.progress('importing', 100_000, () => t);
    bar.tick(4_096); // rows read before the bar appeared: not part of the rate
    t += 150;
    bar.tick(4_096);
    expect(err()).toContain('importing [██░░░░░░░░░░░░░░░░░░░░░░] 8% 8,192/100,000');
    expect(err()).not.toContain('/s');
    t += 350; // 0.5 s after the first frame, 8,192 rows more than it showed: 16,384 rows/s
    bar.tick(4_096);
    expect(err().endsWith('importing [███░░░░░░░░░░░░░░░░░░░░░] 12% 12,288/100,000 · 16,384/s · ETA 6s')).toBe(true);
    bar.done();
  });
});
