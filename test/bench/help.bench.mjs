// `merchant --help` against `node -e 0`: commands load lazily, so help must stay within 3× a bare node start.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

function timeIt(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export default async function ({ root }) {
  const bin = join(root, 'bin', 'merchant.js');
  timeIt([bin, '--help'], 2); // warm the file cache
  const base = timeIt(['-e', '0'], 15);
  const help = timeIt([bin, '--help'], 15);
  return [{ name: 'merchant --help (median ms)', value: help, unit: 'ms', baseline: base, ratio: help / base, target: 3 }];
}
