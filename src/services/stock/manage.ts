// Stock locations and stock per location: add/list/remove locations, set/adjust a level with a reason
// (the audit trail), move stock between locations (in transit until received), which locations each
// storefront sells from. Everything goes through the StockPort; a refused change writes nothing.

import { InvalidInputError, NotFoundError, UsageError } from '../../core/errors.js';
import type { LocationKind, PostalAddress, StockLocation, StockPort, Transfer } from '../../ports/stock.js';

export const CODE_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;
/** Locations the marketplace owns: read from it on sync, never changed by hand. */
export const REMOTE_KINDS: ReadonlySet<LocationKind> = new Set(['fba', 'shopify']);

export interface AddLocationInput {
  code: string;
  name?: string;
  kind: string;
  country?: string;
  address?: Omit<PostalAddress, 'country'>;
}

export function addLocation(port: StockPort, input: AddLocationInput): StockLocation {
  const code = input.code.trim().toLowerCase();
  if (!CODE_RE.test(code)) throw new UsageError(`location code "${input.code}" is not usable: letters, digits, . _ - (up to 40), e.g. de-3pl`);
  const kind = input.kind.toLowerCase();
  if (kind === 'fba' || kind === 'shopify') {
    throw new UsageError(`${kind === 'fba' ? 'Amazon FBA' : 'Shopify'} locations are read from the marketplace, not added by hand`, {
      hints: [kind === 'fba' ? '`merchant sync --only inventory` reads FBA stock per region and adds its locations' : '`merchant sync --only inventory` reads the Shopify locations; map them with `merchant stock locations map`'],
    });
  }
  if (kind !== 'warehouse' && kind !== '3pl') throw new UsageError(`--kind takes warehouse or 3pl, got "${input.kind}"`);
  const country = input.country?.trim().toUpperCase();
  if (!country || !/^[A-Z]{2}$/.test(country)) throw new UsageError('--country takes the location\'s ISO country code (DE, US, SE…): it decides customs for parcels sent from there');
  if (port.location(code)) throw new UsageError(`location ${code} already exists`, { hints: ['`merchant stock locations list` shows them'] });
  const addr = input.address ?? {};
  const hasAddress = Object.values(addr).some((v) => v !== undefined && v !== '');
  if (hasAddress && (!addr.street1 || !addr.city || !addr.postalCode)) {
    throw new UsageError('an address needs at least --street, --city and --postal-code (it is the ship-from on labels and customs forms)');
  }
  const name = input.name?.trim() || code;
  return port.addLocation({ code, name, kind: kind as LocationKind, country, address: hasAddress ? { name, ...clean(addr), country } : null });
}

/**
 * Change a warehouse's or 3PL's name, country or address (the ship-from of its parcels). Given fields
 * replace the stored ones; the result must still be a full address (street, city, postcode).
 */
export function editLocation(port: StockPort, input: { code: string; name?: string; country?: string; address?: Omit<PostalAddress, 'country'> }): StockLocation {
  const l = requireLocation(port, input.code);
  if (REMOTE_KINDS.has(l.kind)) throw new UsageError(`${l.code} is read from ${l.kind === 'fba' ? 'Amazon' : 'Shopify'}: it is not edited by hand`);
  if (l.isHome) {
    throw new UsageError("the home warehouse's address is the business profile's ship-from", { hints: ['change it with `merchant onboard --ship-from-street1 …` (or edit profile.json and run `merchant onboard --from profile.json`)'] });
  }
  const country = input.country?.trim().toUpperCase();
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) throw new UsageError('--country takes the location\'s ISO country code (DE, US, SE…): it decides customs for parcels sent from there');
  const given = clean(input.address ?? {});
  const name = input.name?.trim() || undefined;
  if (!Object.keys(given).length && !country && !name) throw new UsageError('nothing to change: give --name, --country or address flags (--street, --city, --postal-code, …)');
  const merged = { ...(l.address ?? {}), ...given } as Partial<PostalAddress>;
  const hasAddress = Object.entries(merged).some(([k, v]) => k !== 'country' && k !== 'name' && v !== undefined && v !== '');
  if (hasAddress && (!merged.street1 || !merged.city || !merged.postalCode)) {
    const missing = [!merged.street1 && '--street', !merged.city && '--city', !merged.postalCode && '--postal-code'].filter(Boolean).join(', ');
    throw new UsageError(`an address needs at least --street, --city and --postal-code (it is the ship-from on labels and customs forms): ${l.code} still lacks ${missing}`);
  }
  const newName = name ?? l.name;
  const newCountry = country ?? l.country ?? undefined;
  if (!newCountry) throw new UsageError(`${l.code} has no country: give --country`);
  port.tx(() =>
    port.updateLocation(l.id, { name: newName, country: newCountry, address: hasAddress ? ({ ...merged, name: newName, country: newCountry } as PostalAddress) : null }),
  );
  return port.location(l.code)!;
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export function requireLocation(port: StockPort, code: string): StockLocation {
  const l = port.location(code.trim());
  if (!l || !l.active) {
    throw new NotFoundError(`no stock location "${code}"`, { hints: [`known locations: ${port.locations().filter((x) => x.active).map((x) => x.code).join(', ')}`, '`merchant stock locations add CODE --kind 3pl --country DE …` adds one'] });
  }
  return l;
}

export function removeLocation(port: StockPort, code: string): { removed: string; kept: boolean } {
  const l = requireLocation(port, code);
  if (l.isHome) throw new UsageError('the home warehouse cannot be removed');
  if (REMOTE_KINDS.has(l.kind)) {
    throw new UsageError(`${l.code} is ${l.kind === 'fba' ? "Amazon's (FBA)" : 'a Shopify location'}: it is read from the marketplace and goes away with it (disconnect the account, or deactivate the location in Shopify); nothing was changed`);
  }
  const u = port.locationUsage(l.id);
  const why: string[] = [];
  if (u.stock) why.push(`${u.stock} SKUs still have stock there`);
  if (u.transfers) why.push(`${u.transfers} moves to or from it are in transit`);
  if (u.orders) why.push(`${u.orders} open orders reserve stock there`);
  if (u.channels.length) why.push(`channels ${u.channels.join(', ')} sell from it`);
  if (why.length) {
    throw new InvalidInputError(`location ${l.code} is in use: ${why.join('; ')}; nothing was changed`, {
      hints: ['move or set its stock to 0, receive its transfers, reassign its orders and remap its channels first'],
    });
  }
  let kept = false;
  port.tx(() => {
    port.removeLocation(l.id);
    kept = port.location(l.code) !== undefined;
  });
  return { removed: l.code, kept };
}

function requireSku(port: StockPort, sku: string): number {
  const id = port.variantIds([sku]).get(sku);
  if (id === undefined) throw new NotFoundError(`no SKU ${sku} in the catalogue`, { hints: ['`merchant listings list --search …` finds SKUs'] });
  return id;
}

function editable(l: StockLocation): void {
  if (REMOTE_KINDS.has(l.kind)) {
    throw new UsageError(`${l.code} is ${l.kind === 'fba' ? "Amazon's (FBA)" : 'a Shopify location'}: its stock is read from the marketplace on sync, not changed by hand`);
  }
}

export function parseQuantity(text: string, what: string, signed = false): number {
  const t = text.trim();
  const re = signed ? /^[+-]?\d{1,9}$/ : /^\d{1,9}$/;
  if (!re.test(t)) {
    if (!signed && /^-\d+$/.test(t)) {
      throw new InvalidInputError(`${what}: stock cannot be negative (${t}); nothing was changed`, { problems: [{ field: what, value: t, rule: 'negative', message: 'stock cannot be negative' }] });
    }
    throw new InvalidInputError(`${what}: "${text}" is not a whole number of units; nothing was changed`, { problems: [{ field: what, value: text, rule: 'integer', message: 'a whole number of units' }] });
  }
  return Number(t);
}

export interface LevelChange {
  sku: string;
  location: string;
  before: number;
  after: number;
  reserved: number;
  available: number;
}

export function setStock(port: StockPort, input: { sku: string; location: string; quantity: string; reason?: string; command: string }): LevelChange {
  const loc = requireLocation(port, input.location);
  editable(loc);
  const q = parseQuantity(input.quantity, 'quantity');
  const vid = requireSku(port, input.sku);
  return port.tx(() => {
    const cur = port.level(loc.id, vid);
    port.applyOnHand([{ variantId: vid, sku: input.sku, locationId: loc.id, to: q, kind: 'set', reason: input.reason ?? null }], input.command);
    port.queueInventoryPush([{ sku: input.sku, locationId: loc.id }], input.command);
    const reserved = cur?.reserved ?? 0;
    return { sku: input.sku, location: loc.code, before: cur?.onHand ?? 0, after: q, reserved, available: Math.max(0, q - reserved) };
  });
}

export function adjustStock(port: StockPort, input: { sku: string; location: string; delta: string; reason?: string; command: string }): LevelChange {
  const loc = requireLocation(port, input.location);
  editable(loc);
  const d = parseQuantity(input.delta, 'adjustment', true);
  if (d === 0) throw new UsageError('an adjustment of 0 changes nothing');
  const vid = requireSku(port, input.sku);
  return port.tx(() => {
    const cur = port.level(loc.id, vid);
    const before = cur?.onHand ?? 0;
    const after = before + d;
    if (after < 0) {
      throw new InvalidInputError(`${input.sku} at ${loc.code}: ${before} on hand, so an adjustment of ${d} would make the stock negative (${after}); nothing was changed`, {
        problems: [{ sku: input.sku, field: 'adjustment', value: String(d), rule: 'negative', message: `only ${before} on hand at ${loc.code}` }],
      });
    }
    port.applyOnHand([{ variantId: vid, sku: input.sku, locationId: loc.id, delta: d, kind: 'adjust', reason: input.reason ?? null }], input.command);
    port.queueInventoryPush([{ sku: input.sku, locationId: loc.id }], input.command);
    const reserved = cur?.reserved ?? 0;
    return { sku: input.sku, location: loc.code, before, after, reserved, available: Math.max(0, after - reserved) };
  });
}

export function moveStock(port: StockPort, input: { sku: string; quantity: string; from: string; to: string; reason?: string; received?: boolean; command: string }): Transfer {
  const from = requireLocation(port, input.from);
  const to = requireLocation(port, input.to);
  if (from.id === to.id) throw new UsageError('--from and --to are the same location');
  editable(from);
  editable(to);
  const q = parseQuantity(input.quantity, 'quantity');
  if (q === 0) throw new UsageError('a move of 0 units changes nothing');
  const vid = requireSku(port, input.sku);
  return port.tx(() => {
    const cur = port.level(from.id, vid);
    const available = Math.max(0, (cur?.onHand ?? 0) - (cur?.reserved ?? 0));
    if (q > available) {
      throw new InvalidInputError(`${input.sku}: cannot move ${q} from ${from.code}, only ${available} available there (${cur?.onHand ?? 0} on hand, ${cur?.reserved ?? 0} reserved by open orders); nothing was changed`, {
        problems: [{ sku: input.sku, field: 'quantity', value: String(q), rule: 'more-than-available', message: `only ${available} available at ${from.code}` }],
      });
    }
    const id = port.createTransfer({ variantId: vid, fromId: from.id, toId: to.id, quantity: q, reason: input.reason ?? null });
    port.applyOnHand([{ variantId: vid, sku: input.sku, locationId: from.id, delta: -q, kind: 'move-out', reason: input.reason ?? `to ${to.code}`, transferId: id }], input.command);
    port.addInbound(to.id, vid, q);
    port.queueInventoryPush([{ sku: input.sku, locationId: from.id }], input.command);
    if (input.received) receive(port, id, input.command);
    return port.transfer(id)!;
  });
}

function receive(port: StockPort, id: number, command: string): void {
  const t = port.transfer(id)!;
  port.addInbound(t.toId, t.variantId, -t.quantity);
  port.applyOnHand([{ variantId: t.variantId, sku: t.sku, locationId: t.toId, delta: t.quantity, kind: 'move-in', reason: `from ${t.from}`, transferId: id }], command);
  port.closeTransfer(id, 'received');
  port.queueInventoryPush([{ sku: t.sku, locationId: t.toId }], command);
}

export function receiveTransfer(port: StockPort, id: string, opts: { cancel?: boolean; command: string }): Transfer {
  const n = Number(id);
  const t = Number.isInteger(n) && n > 0 ? port.transfer(n) : undefined;
  if (!t) throw new NotFoundError(`no stock transfer ${id}`, { hints: ['`merchant stock transfers` lists the moves in transit'] });
  if (t.status !== 'in_transit') throw new UsageError(`transfer ${t.id} is already ${t.status}`);
  return port.tx(() => {
    if (opts.cancel) {
      port.addInbound(t.toId, t.variantId, -t.quantity);
      port.applyOnHand([{ variantId: t.variantId, sku: t.sku, locationId: t.fromId, delta: t.quantity, kind: 'move-cancel', reason: `move to ${t.to} cancelled`, transferId: t.id }], opts.command);
      port.closeTransfer(t.id, 'cancelled');
      port.queueInventoryPush([{ sku: t.sku, locationId: t.fromId }], opts.command);
    } else receive(port, t.id, opts.command);
    return port.transfer(t.id)!;
  });
}

export function mapChannel(port: StockPort, channel: string, codes: readonly string[]): { channel: string; locations: string[] } {
  const known = port.knownChannels();
  if (known.length && !known.includes(channel)) throw new NotFoundError(`no channel ${channel}`, { hints: [`channels: ${known.join(', ')}`] });
  if (!codes.length) throw new UsageError('name at least one location (in the order orders take stock from them)');
  const locs = codes.map((c) => requireLocation(port, c));
  const dup = locs.find((l, i) => locs.findIndex((x) => x.id === l.id) !== i);
  if (dup) throw new UsageError(`${dup.code} is named twice`);
  const fba = locs.find((l) => l.kind === 'fba');
  if (fba) throw new UsageError(`${fba.code} is Amazon's stock: Amazon-fulfilled listings sell it by themselves; map the locations merchant ships from`);
  const shop = locs.find((l) => l.kind === 'shopify');
  if (shop) {
    throw new UsageError(`${shop.code} is a Shopify location: its stock is read from Shopify and merchant ships nothing from it; map the locations merchant ships from`, {
      hints: [`to sell a merchant location's stock through that Shopify location: merchant stock locations link ${shop.code} LOCATION`],
    });
  }
  port.setChannelLocations(channel, locs.map((l) => l.id));
  return { channel, locations: locs.map((l) => l.code) };
}
