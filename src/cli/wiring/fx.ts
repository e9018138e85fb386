// The one place where services meet their adapters (src/cli/wiring/*, one module per kind of adapter so a
// command loads only the adapters it uses: \`listings import\` never loads the HTTP stack). A service names
// the ports it needs (src/ports); the store the context opens is the repositories (src/store/repos); what
// else a port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { RateFiles } from '../../ports/fx.js';
import { ecbRateFiles } from '../../adapters/fx/rate-files.js';

/** The ECB's published files (HTTP, formats, the bundled history). */
export function rateFiles(): RateFiles {
  return ecbRateFiles;
}
