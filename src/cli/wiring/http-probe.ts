// Plain HTTP (doctor's connectivity check, sync's --notify hook): the port's axios implementation.

import type { HttpProbe } from '../../ports/http-probe.js';
import { axiosHttpProbe } from '../../adapters/http/probe.js';

export function httpProbe(): HttpProbe {
  return axiosHttpProbe;
}
