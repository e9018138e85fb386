// A deterministic rate table shared by the EasyPost and Shippo emulators: services per lane, prices
// in integer cents from weight and zone, transit days, and tracking progress on the sandbox clock.

export const EU = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE']);
/** US territories and military destinations need customs forms too. */
export const US_TERRITORIES = new Set(['PR', 'GU', 'VI', 'AS', 'MP', 'UM']);

export type Zone = 'domestic' | 'eu' | 'international';

export function zoneOf(from: string, to: string): Zone {
  if (from === to) return 'domestic';
  if (EU.has(from) && EU.has(to)) return 'eu';
  return 'international';
}

/** Customs declaration needed: leaving the customs union, or US→territory. */
export function needsCustoms(from: string, to: string): boolean {
  if (from === to) return false;
  if (EU.has(from) && EU.has(to)) return false;
  return true;
}

export type CarrierApi = 'easypost' | 'shippo';

interface ServiceDef {
  /** EasyPost's carrier name (USPS, DHLExpress, DeutschePost…). */
  carrier: string;
  service: string;
  /** Shippo's display name of the carrier (a rate's `provider`: "DHL Express", "Evri UK"…). */
  provider: string;
  /** Shippo's carrier token (tracking: /tracks/{token}/…), from Shippo's carrier list. */
  carrierToken: string;
  /** Human service name (Shippo servicelevel.name). */
  name: string;
  /** Shippo service level token: the carrier token, then the service. */
  token: string;
  zones: Zone[];
  /** Only from this origin country (USPS, FedEx, DHL eCommerce from the US; Evri within the UK). */
  origin?: string;
  /** Only on these APIs (default: both). */
  apis?: CarrierApi[];
  base: Record<Zone, number>;
  per100g: number;
  days: Record<Zone, number>;
}

const SERVICES: ServiceDef[] = [
  { carrier: 'USPS', service: 'GroundAdvantage', provider: 'USPS', carrierToken: 'usps', name: 'Ground Advantage', token: 'usps_ground_advantage', zones: ['domestic'], origin: 'US', base: { domestic: 493, eu: 0, international: 0 }, per100g: 35, days: { domestic: 4, eu: 0, international: 0 } },
  { carrier: 'USPS', service: 'Priority', provider: 'USPS', carrierToken: 'usps', name: 'Priority Mail', token: 'usps_priority', zones: ['domestic'], origin: 'US', base: { domestic: 810, eu: 0, international: 0 }, per100g: 48, days: { domestic: 2, eu: 0, international: 0 } },
  { carrier: 'USPS', service: 'FirstClassPackageInternationalService', provider: 'USPS', carrierToken: 'usps', name: 'First-Class Package International', token: 'usps_first_class_package_international_service', zones: ['international'], origin: 'US', base: { domestic: 0, eu: 0, international: 1575 }, per100g: 95, days: { domestic: 0, eu: 0, international: 10 } },
  { carrier: 'USPS', service: 'PriorityMailInternational', provider: 'USPS', carrierToken: 'usps', name: 'Priority Mail International', token: 'usps_priority_mail_international', zones: ['international'], origin: 'US', base: { domestic: 0, eu: 0, international: 4390 }, per100g: 120, days: { domestic: 0, eu: 0, international: 7 } },
  { carrier: 'DHLExpress', service: 'ExpressWorldwideNonDoc', provider: 'DHL Express', carrierToken: 'dhl_express', name: 'Express Worldwide', token: 'dhl_express_worldwide', zones: ['eu', 'international'], base: { domestic: 0, eu: 2450, international: 3990 }, per100g: 140, days: { domestic: 0, eu: 2, international: 3 } },
  { carrier: 'UPS', service: 'Standard', provider: 'UPS', carrierToken: 'ups', name: 'UPS Standard', token: 'ups_standard', zones: ['domestic', 'eu'], base: { domestic: 890, eu: 1390, international: 0 }, per100g: 60, days: { domestic: 2, eu: 4, international: 0 } },
  { carrier: 'UPS', service: 'Saver', provider: 'UPS', carrierToken: 'ups', name: 'UPS Saver', token: 'ups_saver', zones: ['domestic', 'eu', 'international'], base: { domestic: 1490, eu: 2190, international: 3590 }, per100g: 110, days: { domestic: 1, eu: 2, international: 4 } },
  { carrier: 'DeutschePost', service: 'PacketPlus', provider: 'Deutsche Post', carrierToken: 'deutsche_post', name: 'Packet Plus', token: 'deutsche_post_packet_plus', zones: ['domestic', 'eu', 'international'], base: { domestic: 390, eu: 690, international: 1190 }, per100g: 30, days: { domestic: 3, eu: 6, international: 12 } },
  // Carriers whose Shippo token is not their name spelled in snake case (Shippo's carrier list).
  { carrier: 'FedEx', service: 'FEDEX_INTERNATIONAL_PRIORITY', provider: 'FedEx', carrierToken: 'fedex', name: 'FedEx International Priority®', token: 'fedex_international_priority', zones: ['international'], origin: 'US', apis: ['shippo'], base: { domestic: 0, eu: 0, international: 5200 }, per100g: 160, days: { domestic: 0, eu: 0, international: 2 } },
  { carrier: 'FedEx', service: 'FEDEX_GROUND', provider: 'FedEx', carrierToken: 'fedex', name: 'FedEx Ground®', token: 'fedex_ground', zones: ['domestic'], origin: 'US', apis: ['shippo'], base: { domestic: 990, eu: 0, international: 0 }, per100g: 40, days: { domestic: 3, eu: 0, international: 0 } },
  { carrier: 'DHLeCommerce', service: 'ParcelInternationalDirect', provider: 'DHL eCommerce', carrierToken: 'dhl_ecommerce', name: 'Parcel International Direct', token: 'dhl_ecommerce_parcel_international_direct', zones: ['international'], origin: 'US', apis: ['shippo'], base: { domestic: 0, eu: 0, international: 1390 }, per100g: 80, days: { domestic: 0, eu: 0, international: 8 } },
  { carrier: 'Evri', service: 'ParcelshopDropoff', provider: 'Evri UK', carrierToken: 'hermes_uk', name: 'Parcelshop Drop-Off', token: 'hermes_uk_parcelshop_dropoff', zones: ['domestic'], origin: 'GB', apis: ['shippo'], base: { domestic: 299, eu: 0, international: 0 }, per100g: 12, days: { domestic: 3, eu: 0, international: 0 } },
];

/** One service quoted for a lane and weight. */
export type ServiceQuote = Pick<ServiceDef, 'carrier' | 'service' | 'provider' | 'carrierToken' | 'name' | 'token'> & { cents: bigint; days: number };

/** A service by its Shippo service level token. */
export function serviceByToken(token: string): ServiceQuote | undefined {
  const s = SERVICES.find((x) => x.token === token);
  return s ? { carrier: s.carrier, service: s.service, provider: s.provider, carrierToken: s.carrierToken, name: s.name, token: s.token, cents: 0n, days: 0 } : undefined;
}

/** Quotes for a lane and weight; USPS only from the US, Deutsche Post only outside it. */
export function quote(from: string, to: string, grams: number, api: CarrierApi): ServiceQuote[] {
  const zone = zoneOf(from, to);
  const hundreds = BigInt(Math.max(1, Math.ceil(grams / 100)));
  const out: ServiceQuote[] = [];
  for (const s of SERVICES) {
    if (!s.zones.includes(zone)) continue;
    if (s.origin && s.origin !== from) continue;
    if (s.apis && !s.apis.includes(api)) continue;
    if (s.carrier === 'DeutschePost' && from === 'US') continue;
    out.push({ carrier: s.carrier, service: s.service, provider: s.provider, carrierToken: s.carrierToken, name: s.name, token: s.token, cents: BigInt(s.base[zone]) + hundreds * BigInt(s.per100g), days: s.days[zone] });
  }
  return out;
}

export function centsText(c: bigint): string {
  return `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
}

export type TrackPhase = 'pre_transit' | 'in_transit' | 'out_for_delivery' | 'delivered';

const HOUR = 3_600_000;
/** Tracking advances with the sandbox clock: 1 h pre-transit, in transit until day (days), out for delivery for 8 h, then delivered. */
export function trackPhases(createdMs: number, days: number): Array<{ phase: TrackPhase; at: number; message: string }> {
  const d = Math.max(1, days);
  return [
    { phase: 'pre_transit', at: createdMs, message: 'Shipping Label Created, carrier awaiting item' },
    { phase: 'in_transit', at: createdMs + HOUR, message: 'Accepted at origin facility' },
    { phase: 'in_transit', at: createdMs + 12 * HOUR, message: 'Departed facility, in transit' },
    { phase: 'out_for_delivery', at: createdMs + d * 24 * HOUR, message: 'Out for delivery' },
    { phase: 'delivered', at: createdMs + d * 24 * HOUR + 8 * HOUR, message: 'Delivered, left at front door' },
  ];
}

export function trackProgress(createdMs: number, days: number, now: number) {
  const events = trackPhases(createdMs, days).filter((e) => e.at <= now);
  return { events, phase: events[events.length - 1]?.phase ?? 'pre_transit', eta: createdMs + Math.max(1, days) * 24 * HOUR + 8 * HOUR };
}

export const GRAMS_PER_OZ = 28.349523125;
