// Builds a CarrierPort for a connected account.
import type { HttpFactory } from '../http/factory.js';
import type { CarrierName, CarrierPort } from '../../ports/carrier.js';
import { EasyPostCarrier, easypostMode } from './easypost/index.js';
import { ShippoCarrier, shippoMode } from './shippo/index.js';

export function makeCarrier(name: CarrierName, factory: HttpFactory, opts: { apiKey: string; baseURL?: string }): CarrierPort {
  return name === 'easypost' ? new EasyPostCarrier(factory, opts) : new ShippoCarrier(factory, opts);
}

export function carrierMode(name: CarrierName, key: string): 'test' | 'live' {
  return name === 'easypost' ? easypostMode(key) : shippoMode(key);
}
