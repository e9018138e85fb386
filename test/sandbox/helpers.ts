// Shared helpers for the sandbox contract tests: a started sandbox with an injected clock.

import { afterEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export interface Harness {
  sb: Sandbox;
  clock: { t: number; advance(ms: number): void };
}

const running: Sandbox[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

export async function harness(opts: SandboxOptions = {}): Promise<Harness> {
  const clock = {
    t: Date.parse('2026-11-24T10:00:00Z'),
    advance(ms: number) {
      this.t += ms;
    },
  };
  const sb = await startSandbox({ now: () => clock.t, ...opts });
  running.push(sb);
  return { sb, clock };
}

/** Parsed JSON as the tests read it (JSON.parse's own type; expect() checks it at run time). */
export type Json = ReturnType<typeof JSON.parse>;

export async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; headers: Headers; body: Json; text: string; raw: Buffer }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const res = await fetch(url, { ...init, headers, body });
  const raw = Buffer.from(await res.arrayBuffer());
  const text = raw.toString('utf8');
  let parsed: Json = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text, raw };
}
