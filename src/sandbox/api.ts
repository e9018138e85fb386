// What each emulated API provides to the server.

import type { FaultKind } from './faults.js';
import type { ApiName, SbRequest, SbResponse } from './http.js';
import type { GarbledKind } from './faults.js';

export interface ApiModule {
  name: ApiName;
  /** Prefix under the sandbox URL, e.g. /easypost. */
  prefix: string;
  handle(req: SbRequest): Promise<SbResponse> | SbResponse;
  /** The response for an injected status fault, in the API's own error format. */
  faultResponse(kind: Exclude<FaultKind, 'timeout' | 'drop' | 'lost' | GarbledKind>, req: SbRequest): SbResponse;
  /** Secrets this API has issued or accepts (redacted from the request log). */
  secrets?(): string[];
  /** Override a named limit (e.g. eBay's daily quota 'inventory') for tests and demos. */
  setLimit?(name: string, value: number): boolean;
}
