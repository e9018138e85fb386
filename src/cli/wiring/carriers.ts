// The one place where services meet their adapters (src/cli/wiring/*, one module per kind of adapter so a
// command loads only the adapters it uses: \`listings import\` never loads the HTTP stack). A service names
// the ports it needs (src/ports); the store the context opens is the repositories (src/store/repos); what
// else a port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { CarrierConnector } from '../../ports/carrier.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import { carrierMode, makeCarrier } from '../../adapters/carriers/index.js';

/** EasyPost and Shippo clients over merchant's HTTP client (retries, pacing, redaction). */
export function carrierConnector(factory: HttpFactory): CarrierConnector {
  return { make: (name, opts) => makeCarrier(name, factory, opts), mode: carrierMode };
}
