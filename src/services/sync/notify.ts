// --notify <command|url>: hand the run summary (JSON) to a cron alerting hook. A URL gets it as a POST
// body; anything else runs as a shell command with the JSON on stdin and MERCHANT_SYNC_STATUS /
// MERCHANT_SYNC_EXIT in its environment. A failing hook is a warning, never a sync failure.

import { spawn } from 'node:child_process';
import { redact } from '../../core/redact.js';
import type { HttpProbe } from '../../ports/http-probe.js';

export async function notify(
  target: string,
  summary: unknown,
  env: Record<string, string | undefined>,
  meta: { status: string; exitCode: number },
  http: Pick<HttpProbe, 'postJson'>,
): Promise<string | undefined> {
  const body = JSON.stringify(summary, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  if (/^https?:\/\//i.test(target)) {
    const r = await http.postJson(target, body, 10_000);
    if ('error' in r) return `notify ${redact(target)} failed: ${r.error.message}`;
    return r.status >= 300 ? `notify ${redact(target)} answered HTTP ${r.status}` : undefined;
  }
  return new Promise((resolve) => {
    const child = spawn(target, { shell: true, stdio: ['pipe', 'ignore', 'inherit'], env: { ...env, MERCHANT_SYNC_STATUS: meta.status, MERCHANT_SYNC_EXIT: String(meta.exitCode) } as NodeJS.ProcessEnv });
    child.on('error', (e) => resolve(`notify command failed to start: ${e.message}`));
    child.on('close', (code) => resolve(code === 0 ? undefined : `notify command exited ${code}`));
    child.stdin.on('error', () => {
      /* the hook may not read stdin */
    });
    child.stdin.end(body);
  });
}
