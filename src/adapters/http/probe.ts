// The plain-HTTP port (src/ports/http-probe.ts) over axios: one request, any HTTP status is an answer
// (validateStatus accepts all), and a failure to get one is returned with its code and message, not thrown.

import axios from 'axios';
import type { HttpOutcome, HttpProbe } from '../../ports/http-probe.js';

function failed(e: unknown): HttpOutcome {
  const code = (e as { code?: unknown }).code;
  return { error: { ...(typeof code === 'string' ? { code } : {}), message: (e as Error).message } };
}

export const axiosHttpProbe: HttpProbe = {
  async probe(url, timeoutMs) {
    try {
      const r = await axios.get(url, { timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
      return { status: r.status };
    } catch (e) {
      return failed(e);
    }
  },
  async postJson(url, body, timeoutMs) {
    try {
      const r = await axios.post(url, body, { headers: { 'Content-Type': 'application/json' }, timeout: timeoutMs, validateStatus: () => true });
      return { status: r.status };
    } catch (e) {
      return failed(e);
    }
  },
};
