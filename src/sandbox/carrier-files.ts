// The carriers' label and form files, served the way their real hosts serve them: from S3 buckets
// that are NOT the API host (EasyPost: https://easypost-files.s3.us-west-2.amazonaws.com/files/…,
// public objects; Shippo: https://shippo-delivery.s3.amazonaws.com/<id>.pdf?Signature=…&Expires=…
// &AWSAccessKeyId=…, query-string signed). In the sandbox they live under /s3/<bucket>/<key>, a path
// that behaves as another origin: it accepts no API credentials at all.
//
// S3's rules (docs/sandbox.md, "Carrier label files"):
// - any Authorization header is refused with 400 InvalidArgument "Unsupported Authorization Type",
//   echoing the header in <ArgumentValue> (so an API key sent there has leaked to a third party);
//   on a query-signed URL the refusal is "Only one auth mechanism allowed…";
// - a signed URL needs Signature, Expires and AWSAccessKeyId (403 AccessDenied), a signature that
//   matches (403 SignatureDoesNotMatch) and an Expires in the future (403 "Request has expired");
// - GET and HEAD only (405 MethodNotAllowed); an unknown key is 404 NoSuchKey.
// Every refused Authorization header is also kept in the state (`s3.authorizationRefused`), so a test
// or a reviewer sees which client sent one.

import { createHmac, randomBytes } from 'node:crypto';
import type { ApiModule } from './api.js';
import { header, type SbRequest, type SbResponse } from './http.js';
import type { World } from './world.js';

export const FILE_HOST_PREFIX = '/s3';

/** One bucket: its name, whether its URLs are query-signed, and what it holds. */
export interface FileBucket {
  name: string;
  signed: boolean;
  /** The object at `key` (no leading slash), or undefined when there is none. */
  read(key: string): SbResponse | undefined;
}

interface FileHostState {
  /** Requests refused for carrying an Authorization header (the scheme only, never the value). */
  authorizationRefused: Array<{ time: string; bucket: string; key: string; scheme: string }>;
}

/** The access key id the sandbox signs with (public; it only makes URLs look like S3's). */
const ACCESS_KEY_ID = 'AKIASANDBOXFILES0000';

function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): SbResponse {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(48).toString('base64');
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`,
  };
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Signs and checks query-string-authenticated URLs (S3 signature version 2 shape). */
export class UrlSigner {
  private readonly secret = 'sandbox-file-host-signing-secret';
  constructor(private readonly world: World) {}

  private signature(bucket: string, key: string, expires: number): string {
    return createHmac('sha1', this.secret).update(`GET\n\n\n${expires}\n/${bucket}/${key}`).digest('base64');
  }

  /** The full URL of an object, signed for `ttlSeconds` from the sandbox clock when the bucket is signed. */
  url(bucket: FileBucket | { name: string; signed: boolean }, key: string, ttlSeconds = 3600): string {
    const base = `${this.world.baseUrl}${FILE_HOST_PREFIX}/${bucket.name}/${key}`;
    if (!bucket.signed) return base;
    const expires = Math.floor(this.world.now() / 1000) + ttlSeconds;
    const q = new URLSearchParams({ Signature: this.signature(bucket.name, key, expires), Expires: String(expires), AWSAccessKeyId: ACCESS_KEY_ID });
    return `${base}?${q.toString()}`;
  }

  check(bucket: string, key: string, query: URLSearchParams): SbResponse | undefined {
    const sig = query.get('Signature');
    const expires = query.get('Expires');
    const keyId = query.get('AWSAccessKeyId');
    if (!sig || !expires || !keyId) return s3Error(403, 'AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    if (keyId !== ACCESS_KEY_ID) return s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: keyId });
    if (!/^\d+$/.test(expires) || sig !== this.signature(bucket, key, Number(expires))) {
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { AWSAccessKeyId: keyId });
    }
    if (Number(expires) * 1000 < this.world.now()) return s3Error(403, 'AccessDenied', 'Request has expired', { Expires: new Date(Number(expires) * 1000).toISOString(), ServerTime: this.world.iso() });
    return undefined;
  }
}

export function carrierFileHost(world: World, signer: UrlSigner, buckets: () => FileBucket[]): ApiModule {
  const st = () => world.slot<FileHostState>('s3', () => ({ authorizationRefused: [] }));
  return {
    name: 's3',
    prefix: FILE_HOST_PREFIX,
    // It issues no secrets; called at start so its state slot exists from the first state() on.
    secrets: () => {
      st();
      return [];
    },
    handle(req: SbRequest): SbResponse {
      const m = /^\/([a-z0-9.-]+)\/(.+)$/.exec(req.path);
      const bucket = m ? buckets().find((b) => b.name === m[1]) : undefined;
      if (!m || !bucket) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', m ? { BucketName: m[1]! } : {});
      const key = m[2]!;
      const authorization = header(req, 'authorization');
      if (authorization !== undefined) {
        st().authorizationRefused.push({ time: world.iso(), bucket: bucket.name, key, scheme: authorization.split(/\s+/)[0] ?? '' });
        const signedQuery = req.query.has('Signature') || req.query.has('X-Amz-Signature') || req.query.has('X-Amz-Algorithm');
        if (signedQuery) {
          return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
            ArgumentName: 'Authorization',
            ArgumentValue: authorization,
          });
        }
        return s3Error(400, 'InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: authorization });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: req.method, ResourceType: 'OBJECT' });
      if (bucket.signed) {
        const refused = signer.check(bucket.name, key, req.query);
        if (refused) return refused;
      }
      const found = bucket.read(key);
      if (!found) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      return req.method === 'HEAD' ? { ...found, body: '' } : found;
    },
    faultResponse(kind) {
      if (kind === '503' || kind === '429' || kind === 'throttled') return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
      return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
    },
  };
}
