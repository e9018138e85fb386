// The plain-HTTP port over axios (src/adapters/http/probe.ts): any status is an answer, a redirect is
// not followed by the probe, a body is POSTed as JSON, and no answer (timeout, refused) comes back as
// its code and message instead of a throw. Loopback servers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { axiosHttpProbe as http } from '../../src/adapters/http/probe.js';
import { closedPort } from '../helpers/ports.js';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; type: string | undefined; body: string }> = [];
const hanging: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], body });
      if (req.url === '/moved') res.writeHead(301, { Location: '/target' }).end();
      else if (req.url === '/hang') hanging.push(() => res.end());
      else res.writeHead(req.url === '/broken' ? 503 : 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const end of hanging) end();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('axiosHttpProbe', () => {
  it('probe: the status the host answered, a redirect not followed, an error status is still an answer', async () => {
    seen.length = 0;
    expect(await http.probe(`${base}/moved`, 2000)).toEqual({ status: 301 });
    expect(await http.probe(`${base}/broken`, 2000)).toEqual({ status: 503 });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /moved', 'GET /broken']);
  });

  it('probe: no answer within the timeout is an error with its code, not a throw', async () => {
    const r = await http.probe(`${base}/hang`, 50);
    expect(r).toMatchObject({ error: { code: 'ECONNABORTED', message: expect.stringMatching(/timeout/) } });
  });

  it('a refused connection is an error with its code and message', async () => {
    const port = await closedPort();
    expect(await http.probe(`http://127.0.0.1:${port}/`, 2000)).toEqual({ error: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` } });
    expect(await http.postJson(`http://127.0.0.1:${port}/`, '{}', 2000)).toEqual({ error: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` } });
  });

  it('postJson: the body as sent, as JSON, and the status whatever it is', async () => {
    seen.length = 0;
    expect(await http.postJson(`${base}/hook`, '{"status":"ok","n":"12"}', 2000)).toEqual({ status: 200 });
    expect(await http.postJson(`${base}/broken`, '{}', 2000)).toEqual({ status: 503 });
    expect(seen[0]).toEqual({ method: 'POST', url: '/hook', type: 'application/json', body: '{"status":"ok","n":"12"}' });
  });
});
