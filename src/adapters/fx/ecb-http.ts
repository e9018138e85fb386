// Fetch the ECB reference-rate files over HTTP (axios, with a timeout). The base URL is configurable
// (`fx.ecb.url` / MERCHANT_FX_ECB_URL) so tests and the sandbox serve the same files locally.
// The daily file is eurofxref-daily.xml; the full history is published only as eurofxref-hist.zip
// (a zip holding eurofxref-hist.csv); a mirror may serve eurofxref-hist.csv directly, so a 404 on the
// zip falls through to the CSV. A URL naming a file (.xml/.csv/.zip) is fetched as it is.

import axios, { type AxiosResponse } from 'axios';
import { unzipSync, strFromU8 } from 'fflate';
import { RemoteError } from '../../core/errors.js';

const MAX_UNZIPPED = 64 * 1024 * 1024;

export const DEFAULT_ECB_URL = 'https://www.ecb.europa.eu/stats/eurofxref/';

export interface FetchedRates {
  url: string;
  /** The file's text (unzipped when needed). */
  text: string;
  name: string;
}

function candidates(base: string, history: boolean): string[] {
  if (/\.(xml|csv|zip)(\?.*)?$/i.test(base)) return [base];
  const dir = base.endsWith('/') ? base : `${base}/`;
  return history ? [`${dir}eurofxref-hist.zip`, `${dir}eurofxref-hist.csv`] : [`${dir}eurofxref-daily.xml`];
}

function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
}

async function getOnce(url: string, timeoutMs: number): Promise<AxiosResponse<ArrayBuffer>> {
  return axios.get<ArrayBuffer>(url, {
    timeout: timeoutMs,
    responseType: 'arraybuffer',
    maxRedirects: 5,
    maxContentLength: MAX_UNZIPPED,
    validateStatus: () => true,
    headers: { 'User-Agent': 'merchant-cli', Accept: 'application/xml, text/csv, application/zip, */*' },
  });
}

async function get(url: string, timeoutMs: number): Promise<AxiosResponse<ArrayBuffer>> {
  try {
    const r = await getOnce(url, timeoutMs);
    if (r.status < 500) return r;
  } catch {
    /* network error or timeout: one more try below */
  }
  try {
    return await getOnce(url, timeoutMs);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const what = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs} ms` : (err.message ?? String(e));
    throw new RemoteError(`could not fetch ECB rates from ${url}: ${what}`, {
      service: 'ecb',
      hints: ['check the network, or set fx.ecb.url (MERCHANT_FX_ECB_URL) to a reachable mirror', 'offline: merchant fx update --file eurofxref-hist.csv'],
      cause: e,
    });
  }
}

export async function fetchEcbRates(opts: { baseUrl: string; history: boolean; timeoutMs: number; debug?: (line: string) => void }): Promise<FetchedRates> {
  const urls = candidates(opts.baseUrl, opts.history);
  let last: AxiosResponse<ArrayBuffer> | undefined;
  for (const url of urls) {
    opts.debug?.(`GET ${url}`);
    const r = await get(url, opts.timeoutMs);
    opts.debug?.(`→ ${r.status} (${r.data?.byteLength ?? 0} bytes)`);
    last = r;
    if (r.status === 404 && url !== urls[urls.length - 1]) continue;
    if (r.status < 200 || r.status >= 300) {
      throw new RemoteError(`ECB rates request failed: HTTP ${r.status} from ${url}`, {
        status: r.status,
        service: 'ecb',
        hints: ['try again later; the ECB publishes around 16:00 CET on TARGET working days', 'offline: merchant fx update --file eurofxref-hist.csv'],
      });
    }
    const buf = Buffer.from(r.data);
    const name = url.replace(/[?#].*$/, '').split('/').pop() || url;
    if (isZip(buf)) {
      let entries: Record<string, Uint8Array>;
      try {
        // Only the rates file, and never more than 64 MB unpacked (the full history is ~2 MB).
        entries = unzipSync(new Uint8Array(buf), { filter: (f) => /\.(csv|xml)$/i.test(f.name) && f.originalSize <= MAX_UNZIPPED });
      } catch (e) {
        throw new RemoteError(`the file at ${url} is not a readable zip: ${(e as Error).message}`, { service: 'ecb', cause: e });
      }
      const entry = Object.keys(entries).find((k) => /\.(csv|xml)$/i.test(k));
      if (!entry) throw new RemoteError(`the zip at ${url} holds no .csv or .xml file`, { service: 'ecb' });
      return { url, text: strFromU8(entries[entry]!), name: entry };
    }
    return { url, text: buf.toString('utf8'), name };
  }
  throw new RemoteError(`ECB rates not found at ${urls.join(' or ')} (HTTP ${last?.status ?? '?'})`, { status: last?.status, service: 'ecb' });
}
