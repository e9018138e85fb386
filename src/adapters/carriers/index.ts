// Builds a CarrierPort for a connected account.
import type { HttpFactory } from '../http/factory.js';
import type { CarrierName, CarrierPort } from '../../ports/carrier.js';
import { EasyPostCarrier } from './easypost/index.js';
import { ShippoCarrier } from './shippo/index.js';

export function makeCarrier(name: CarrierName, factory: HttpFactory, opts: { apiKey: string; baseURL?: string }): CarrierPort {
  return name === 'easypost' ? new EasyPostCarrier(factory, opts) : new ShippoCarrier(factory, opts);
}

export function carrierMode(name: CarrierName, key: string): 'test' | 'live' {
  if (name === 'easypost') return key.startsWith('EZAK') ? 'live' : 'test';
  return key.startsWith('shippo_live_') ? 'live' : 'test';
}
