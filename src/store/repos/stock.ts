// Stock per location (migration 220): locations, levels, the movement history, transfers and which
// locations each storefront sells from. Every on-hand change goes through applyOnHand, which writes
// the level and its movement (delta and the level after it) together, so `report stock --at` can
// rebuild any past date from the history.

import type { Store } from '../db.js';
import { num } from '../db.js';
import { markSyncWanted } from './sync-state.js';
import type {
  AppliedChange,
  LocationKind,
  NewLocation,
  OnHandChange,
  OrderStockView,
  PostalAddress,
  RemoteLevelIn,
  RemoteLocationIn,
  ShopLocation,
  StockFilter,
  StockLevel,
  StockLocation,
  StockPort,
  StockTotal,
  Transfer,
} from '../../ports/stock.js';

interface LocationRow {
  id: bigint;
  code: string;
  name: string;
  kind: LocationKind;
  country: string | null;
  address_json: string | null;
  marketplace: 'amazon' | 'shopify' | null;
  remote_id: string | null;
  channel: string | null;
  is_home: bigint;
  active: bigint;
}

/**
 * A location's columns. The home warehouse's country follows the business profile's ship-from (it was
 * created before onboarding, when no profile existed) unless one was stored for it.
 */
const LOC_COLS = `l.id, l.code, l.name, l.kind,
  coalesce(l.country, CASE WHEN l.is_home = 1 THEN (SELECT upper(coalesce(json_extract(ship_from_json, '$.country'), country)) FROM business_profile WHERE id = 1) END) AS country,
  l.address_json, l.marketplace, l.remote_id, l.channel, l.is_home, l.active`;

function toLocation(r: LocationRow): StockLocation {
  let address: PostalAddress | null = null;
  if (r.address_json) {
    try {
      address = JSON.parse(r.address_json) as PostalAddress;
    } catch {
      address = null;
    }
  }
  return {
    id: num(r.id),
    code: r.code,
    name: r.name,
    kind: r.kind,
    country: r.country,
    address,
    marketplace: r.marketplace,
    remoteId: r.remote_id,
    channel: r.channel,
    isHome: r.is_home === 1n,
    active: r.active === 1n,
  };
}

/**
 * Which locations each channel sells from, as a CTE: its mapping, or the home warehouse for a channel
 * with none. Used with channelAvailableSql in one statement (the sync plan, the benchmark).
 */
export const CHANNEL_LOCATIONS_CTE = `chan_locs AS MATERIALIZED (
  SELECT channel, location_id FROM channel_stock_locations
  UNION ALL
  SELECT c.code, h.id FROM channels c JOIN stock_locations h ON h.is_home = 1
   WHERE NOT EXISTS (SELECT 1 FROM channel_stock_locations m WHERE m.channel = c.code))`;

/**
 * A channel's available quantity of a variant: Σ max(on_hand − reserved, 0) over its locations (an
 * oversold location never eats another's stock); NULL when no location has a level for it.
 */
export function channelAvailableSql(variantId: string, channel: string): string {
  return `(SELECT sum(max(sl.on_hand - sl.reserved, 0)) FROM stock_levels sl
           WHERE sl.variant_id = ${variantId} AND sl.location_id IN (SELECT m.location_id FROM chan_locs m WHERE m.channel = ${channel}))`;
}

/** A level that holds anything (what `stock list` shows without --all). */
const NON_ZERO_LEVEL = '(s.on_hand <> 0 OR s.reserved <> 0 OR s.inbound <> 0 OR s.unfulfillable <> 0)';

interface LevelRow {
  sku: string;
  location: string;
  on_hand: bigint;
  reserved: bigint;
  inbound: bigint;
  unfulfillable: bigint;
}

const level = (r: LevelRow): StockLevel => ({
  sku: r.sku,
  location: r.location,
  onHand: num(r.on_hand),
  reserved: num(r.reserved),
  available: Math.max(0, num(r.on_hand) - num(r.reserved)),
  inbound: num(r.inbound),
  unfulfillable: num(r.unfulfillable),
});

export class StockRepo implements StockPort {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.store.db;
  }

  /** One transaction; inside an open one (an order pull's page) just run, so its commit stays the only one. */
  tx<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.store.tx(fn);
  }

  now(): string {
    return this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  locations(): StockLocation[] {
    return (this.db.prepare(`SELECT ${LOC_COLS} FROM stock_locations l ORDER BY is_home DESC, kind, code`).all() as LocationRow[]).map(toLocation);
  }

  location(code: string): StockLocation | undefined {
    const r = this.db.prepare(`SELECT ${LOC_COLS} FROM stock_locations l WHERE code = ?`).get(code.toLowerCase()) as LocationRow | undefined;
    return r && toLocation(r);
  }

  locationById(id: number): StockLocation | undefined {
    const r = this.db.prepare(`SELECT ${LOC_COLS} FROM stock_locations l WHERE id = ?`).get(id) as LocationRow | undefined;
    return r && toLocation(r);
  }

  home(): StockLocation {
    return toLocation(this.db.prepare(`SELECT ${LOC_COLS} FROM stock_locations l WHERE is_home = 1`).get() as LocationRow);
  }

  addLocation(l: NewLocation): StockLocation {
    const t = this.now();
    this.db
      .prepare(`INSERT INTO stock_locations (code, name, kind, country, address_json, marketplace, remote_id, channel, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(l.code, l.name, l.kind, l.country, l.address ? JSON.stringify(l.address) : null, l.marketplace ?? null, l.remoteId ?? null, l.channel ?? null, t, t);
    return this.location(l.code)!;
  }

  updateLocation(id: number, l: Partial<Pick<NewLocation, 'name' | 'country' | 'address'>>): void {
    const cur = this.locationById(id);
    if (!cur) return;
    this.db
      .prepare('UPDATE stock_locations SET name = ?, country = ?, address_json = ?, updated_at = ? WHERE id = ?')
      .run(l.name ?? cur.name, l.country !== undefined ? l.country : cur.country, l.address !== undefined ? (l.address ? JSON.stringify(l.address) : null) : cur.address ? JSON.stringify(cur.address) : null, this.now(), id);
  }

  locationUsage(id: number): { stock: number; transfers: number; channels: string[]; orders: number } {
    const stock = num((this.db.prepare('SELECT count(*) AS n FROM stock_levels WHERE location_id = ? AND (on_hand <> 0 OR reserved <> 0 OR inbound <> 0)').get(id) as { n: bigint }).n);
    const transfers = num((this.db.prepare(`SELECT count(*) AS n FROM stock_transfers WHERE status = 'in_transit' AND (from_location_id = ? OR to_location_id = ?)`).get(id, id) as { n: bigint }).n);
    const channels = (this.db.prepare('SELECT channel FROM channel_stock_locations WHERE location_id = ? ORDER BY channel').all(id) as Array<{ channel: string }>).map((r) => r.channel);
    const orders = num((this.db.prepare('SELECT count(DISTINCT order_id) AS n FROM order_stock_effects WHERE location_id = ? AND reserved > 0').get(id) as { n: bigint }).n);
    return { stock, transfers, channels, orders };
  }

  /** Removing keeps the history: the location is only marked inactive once anything refers to it. */
  removeLocation(id: number): void {
    const referenced = (this.db.prepare('SELECT (SELECT count(*) FROM stock_movements WHERE location_id = ?) + (SELECT count(*) FROM stock_transfers WHERE from_location_id = ? OR to_location_id = ?) + (SELECT count(*) FROM orders WHERE stock_location_id = ?) AS n').get(id, id, id, id) as { n: bigint }).n > 0n;
    this.db.prepare('DELETE FROM stock_levels WHERE location_id = ? AND on_hand = 0 AND reserved = 0 AND inbound = 0').run(id);
    this.db.prepare('UPDATE marketplace_locations SET location_id = NULL WHERE location_id = ?').run(id);
    if (referenced) this.db.prepare('UPDATE stock_locations SET active = 0, updated_at = ? WHERE id = ?').run(this.now(), id);
    else this.db.prepare('DELETE FROM stock_locations WHERE id = ?').run(id);
  }

  variantIds(skus: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const stmt = this.db.prepare(`SELECT value AS sku, v.id FROM json_each(?) j JOIN variants v ON v.sku = j.value`);
    for (let i = 0; i < skus.length; i += 5000) {
      for (const r of stmt.all(JSON.stringify(skus.slice(i, i + 5000))) as Array<{ sku: string; id: bigint }>) out.set(r.sku, num(r.id));
    }
    return out;
  }

  level(locationId: number, variantId: number): { onHand: number; reserved: number; inbound: number } | undefined {
    const r = this.db.prepare('SELECT on_hand, reserved, inbound FROM stock_levels WHERE location_id = ? AND variant_id = ?').get(locationId, variantId) as
      | { on_hand: bigint; reserved: bigint; inbound: bigint }
      | undefined;
    return r && { onHand: num(r.on_hand), reserved: num(r.reserved), inbound: num(r.inbound) };
  }

  private where(f: StockFilter, alias: string): { sql: string; args: unknown[] } {
    const w: string[] = [];
    const args: unknown[] = [];
    if (f.location !== undefined) {
      w.push(`${alias}.location_id = ?`);
      args.push(f.location);
    }
    if (f.skus?.length) {
      w.push(`v.sku IN (SELECT value FROM json_each(?))`);
      args.push(JSON.stringify(f.skus));
    }
    return { sql: w.length ? `AND ${w.join(' AND ')}` : '', args };
  }

  /** Levels in SKU order (home location first), read from a cursor: a million SKUs stream. */
  *levels(f: StockFilter): Generator<StockLevel> {
    const w = this.where(f, 's');
    const rows = this.db
      .prepare(
        `SELECT v.sku, l.code AS location, s.on_hand, s.reserved, s.inbound, s.unfulfillable
           FROM stock_levels s JOIN variants v ON v.id = s.variant_id JOIN stock_locations l ON l.id = s.location_id
          WHERE 1 ${w.sql} ${f.nonZero ? `AND ${NON_ZERO_LEVEL}` : ''}
          ORDER BY v.sku, l.is_home DESC, l.code`,
      )
      .iterate(...w.args) as IterableIterator<LevelRow>;
    for (const r of rows) yield level(r);
  }

  /**
   * The levels with their SKU's totals over the filter's locations (empty levels counted, as totals()
   * counts them): what `stock list` prints, a total line under a SKU held in several places. One
   * statement, streamed; the totals are window sums over each SKU's levels.
   */
  *levelsWithTotals(f: StockFilter): Generator<StockLevel & { total?: StockTotal }> {
    const w = this.where(f, 's');
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT v.sku, l.code AS location, l.is_home, s.on_hand, s.reserved, s.inbound, s.unfulfillable,
                  sum(s.on_hand) OVER sku AS t_on_hand, sum(s.reserved) OVER sku AS t_reserved,
                  sum(max(s.on_hand - s.reserved, 0)) OVER sku AS t_available, sum(s.inbound) OVER sku AS t_inbound,
                  count(*) OVER sku AS t_locations, sum(s.on_hand <> 0 OR s.reserved <> 0 OR s.inbound <> 0) OVER sku AS t_held
             FROM stock_levels s JOIN variants v ON v.id = s.variant_id JOIN stock_locations l ON l.id = s.location_id
            WHERE 1 ${w.sql}
           WINDOW sku AS (PARTITION BY v.sku))
          WHERE 1 ${f.nonZero ? `AND ${NON_ZERO_LEVEL.replace(/s\./g, '')}` : ''}
          ORDER BY sku, is_home DESC, location`,
      )
      .iterate(...w.args) as IterableIterator<LevelRow & { t_on_hand: bigint; t_reserved: bigint; t_available: bigint; t_inbound: bigint; t_locations: bigint; t_held: bigint }>;
    for (const r of rows) {
      // (totals() leaves out a SKU whose levels are all empty but for unfulfillable units, when nonZero)
      const counted = !f.nonZero || num(r.t_held) > 0;
      yield {
        ...level(r),
        total: counted ? { sku: r.sku, onHand: num(r.t_on_hand), reserved: num(r.t_reserved), available: num(r.t_available), inbound: num(r.t_inbound), locations: num(r.t_locations) } : undefined,
      };
    }
  }

  /**
   * Totals per SKU: one statement, streamed. Variants are walked in SKU order on their unique index (no
   * sort) and each one's levels read from the covering index stock_levels_variant.
   */
  *totals(f: StockFilter): Generator<StockTotal> {
    const w = this.where(f, 's');
    const rows = this.db
      .prepare(
        `SELECT v.sku, sum(s.on_hand) AS on_hand, sum(s.reserved) AS reserved, sum(max(s.on_hand - s.reserved, 0)) AS available,
                sum(s.inbound) AS inbound, count(*) AS locations
           FROM variants v CROSS JOIN stock_levels s ON s.variant_id = v.id
          WHERE 1 ${w.sql}
          GROUP BY v.sku ${f.nonZero ? 'HAVING sum(s.on_hand <> 0 OR s.reserved <> 0 OR s.inbound <> 0) > 0' : ''}
          ORDER BY v.sku`,
      )
      .iterate(...w.args) as IterableIterator<{ sku: string; on_hand: bigint; reserved: bigint; available: bigint; inbound: bigint; locations: bigint }>;
    for (const r of rows) yield { sku: r.sku, onHand: num(r.on_hand), reserved: num(r.reserved), available: num(r.available), inbound: num(r.inbound), locations: num(r.locations) };
  }

  applyOnHand(changes: readonly OnHandChange[], command: string): AppliedChange[] {
    const t = this.now();
    const get = this.db.prepare('SELECT on_hand FROM stock_levels WHERE location_id = ? AND variant_id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at) VALUES (?, ?, ?, 0, 0, 0, ?)
       ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at`,
    );
    const move = this.db.prepare(
      `INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason, order_id, transfer_id, command) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const out: AppliedChange[] = [];
    this.tx(() => {
      for (const c of changes) {
        const before = num((get.get(c.locationId, c.variantId) as { on_hand: bigint } | undefined)?.on_hand);
        const after = c.to !== undefined ? c.to : before + (c.delta ?? 0);
        const existed = get.get(c.locationId, c.variantId) !== undefined;
        if (after === before && existed) continue;
        upsert.run(c.locationId, c.variantId, after, t);
        if (after !== before) move.run(t, c.locationId, c.variantId, c.sku, after - before, after, c.kind, c.reason ?? null, c.orderId ?? null, c.transferId ?? null, command);
        out.push({ sku: c.sku, locationId: c.locationId, before, after });
      }
    });
    return out;
  }

  /** A location the marketplace owns, found by (marketplace, remote id) or created; its name, country and active flag follow the marketplace. */
  ensureRemoteLocation(l: RemoteLocationIn): StockLocation {
    const r = this.db.prepare('SELECT * FROM stock_locations WHERE marketplace = ? AND remote_id = ?').get(l.marketplace, l.remoteId) as LocationRow | undefined;
    const t = this.now();
    if (r) {
      this.db
        .prepare('UPDATE stock_locations SET name = ?, country = coalesce(?, country), channel = coalesce(?, channel), active = ?, updated_at = ? WHERE id = ? AND (name IS NOT ? OR country IS NOT coalesce(?, country) OR channel IS NOT coalesce(?, channel) OR active <> ?)')
        .run(l.name, l.country, l.channel ?? null, l.active === false ? 0 : 1, t, r.id, l.name, l.country, l.channel ?? null, l.active === false ? 0 : 1);
      return this.locationById(num(r.id))!;
    }
    let code = l.code;
    for (let i = 2; this.location(code); i++) code = `${l.code}-${i}`;
    this.db
      .prepare(`INSERT INTO stock_locations (code, name, kind, country, marketplace, remote_id, channel, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(code, l.name, l.kind, l.country, l.marketplace, l.remoteId, l.channel ?? null, l.active === false ? 0 : 1, t, t);
    return this.location(code)!;
  }

  /**
   * The levels of a marketplace-owned location as the marketplace reported them: on hand, reserved,
   * inbound and unfulfillable replaced; an on-hand change is a movement of kind 'marketplace'; a SKU the
   * marketplace no longer reports goes to 0 (when `complete`). Returns how many levels changed.
   */
  replaceRemoteLevels(locationId: number, rows: readonly RemoteLevelIn[], command: string, complete = true): number {
    const t = this.now();
    const cur = new Map(
      (this.db.prepare('SELECT variant_id, on_hand, reserved, inbound, unfulfillable FROM stock_levels WHERE location_id = ?').all(locationId) as Array<{ variant_id: bigint; on_hand: bigint; reserved: bigint; inbound: bigint; unfulfillable: bigint }>).map((r) => [
        num(r.variant_id),
        { onHand: num(r.on_hand), reserved: num(r.reserved), inbound: num(r.inbound), unfulfillable: num(r.unfulfillable) },
      ]),
    );
    const skuOf = this.db.prepare('SELECT sku FROM variants WHERE id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, inbound = excluded.inbound, unfulfillable = excluded.unfulfillable, updated_at = excluded.updated_at`,
    );
    const move = this.db.prepare(`INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason, command) VALUES (?, ?, ?, ?, ?, ?, 'marketplace', ?, ?)`);
    let changed = 0;
    const apply = (variantId: number, sku: string, next: { onHand: number; reserved: number; inbound: number; unfulfillable: number }, reason: string) => {
      const before = cur.get(variantId);
      if (before && before.onHand === next.onHand && before.reserved === next.reserved && before.inbound === next.inbound && before.unfulfillable === next.unfulfillable) return;
      upsert.run(locationId, variantId, next.onHand, next.reserved, next.inbound, next.unfulfillable, t);
      const delta = next.onHand - (before?.onHand ?? 0);
      if (delta !== 0) move.run(t, locationId, variantId, sku, delta, next.onHand, reason, command);
      changed++;
    };
    this.tx(() => {
      const seen = new Set<number>();
      for (const r of rows) {
        seen.add(r.variantId);
        apply(r.variantId, r.sku, r, r.reason ?? 'read from the marketplace');
      }
      if (!complete) return;
      for (const [vid, lv] of cur) {
        if (seen.has(vid) || (lv.onHand === 0 && lv.reserved === 0 && lv.inbound === 0 && lv.unfulfillable === 0)) continue;
        const sku = (skuOf.get(vid) as { sku: string } | undefined)?.sku ?? String(vid);
        apply(vid, sku, { onHand: 0, reserved: 0, inbound: 0, unfulfillable: 0 }, 'no longer reported by the marketplace');
      }
      this.db.prepare('UPDATE stock_locations SET updated_at = ? WHERE id = ?').run(t, locationId);
    });
    return changed;
  }

  addInbound(locationId: number, variantId: number, delta: number): void {
    this.db
      .prepare(
        `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at) VALUES (?, ?, 0, 0, max(?, 0), 0, ?)
         ON CONFLICT (location_id, variant_id) DO UPDATE SET inbound = max(inbound + ?, 0), updated_at = excluded.updated_at`,
      )
      .run(locationId, variantId, delta, this.now(), delta);
  }

  createTransfer(t: { variantId: number; fromId: number; toId: number; quantity: number; reason: string | null }): number {
    const r = this.db
      .prepare(`INSERT INTO stock_transfers (variant_id, from_location_id, to_location_id, quantity, status, reason, created_at) VALUES (?, ?, ?, ?, 'in_transit', ?, ?)`)
      .run(t.variantId, t.fromId, t.toId, t.quantity, t.reason, this.now());
    return num(r.lastInsertRowid as bigint);
  }

  private transferSelect = `SELECT t.id, t.variant_id, t.from_location_id, t.to_location_id, v.sku, f.code AS from_code, d.code AS to_code, t.quantity, t.status, t.reason, t.created_at, t.closed_at
      FROM stock_transfers t JOIN variants v ON v.id = t.variant_id JOIN stock_locations f ON f.id = t.from_location_id JOIN stock_locations d ON d.id = t.to_location_id`;

  private toTransfer(r: Record<string, unknown>): Transfer & { variantId: number; fromId: number; toId: number } {
    return {
      id: num(r.id as bigint),
      variantId: num(r.variant_id as bigint),
      fromId: num(r.from_location_id as bigint),
      toId: num(r.to_location_id as bigint),
      sku: r.sku as string,
      from: r.from_code as string,
      to: r.to_code as string,
      quantity: num(r.quantity as bigint),
      status: r.status as Transfer['status'],
      reason: r.reason as string | null,
      createdAt: r.created_at as string,
      closedAt: r.closed_at as string | null,
    };
  }

  transfer(id: number) {
    const r = this.db.prepare(`${this.transferSelect} WHERE t.id = ?`).get(id) as Record<string, unknown> | undefined;
    return r && this.toTransfer(r);
  }

  closeTransfer(id: number, status: 'received' | 'cancelled'): void {
    this.db.prepare(`UPDATE stock_transfers SET status = ?, closed_at = ? WHERE id = ? AND status = 'in_transit'`).run(status, this.now(), id);
  }

  transfers(filter: { open?: boolean }): Transfer[] {
    const rows = this.db.prepare(`${this.transferSelect} ${filter.open ? `WHERE t.status = 'in_transit'` : ''} ORDER BY t.id`).all() as Array<Record<string, unknown>>;
    return rows.map((r) => {
      const { variantId: _v, fromId: _f, toId: _t, ...rest } = this.toTransfer(r);
      return rest;
    });
  }

  channelLocations(channel: string): StockLocation[] {
    const rows = this.db
      .prepare(`SELECT ${LOC_COLS} FROM channel_stock_locations c JOIN stock_locations l ON l.id = c.location_id WHERE c.channel = ? ORDER BY c.position`)
      .all(channel) as LocationRow[];
    return rows.length ? rows.map(toLocation) : [this.home()];
  }

  channelMappings(): Array<{ channel: string; locations: string[] }> {
    const rows = this.db
      .prepare(`SELECT c.channel, l.code FROM channel_stock_locations c JOIN stock_locations l ON l.id = c.location_id ORDER BY c.channel, c.position`)
      .all() as Array<{ channel: string; code: string }>;
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.channel, [...(out.get(r.channel) ?? []), r.code]);
    return [...out].map(([channel, locations]) => ({ channel, locations }));
  }

  setChannelLocations(channel: string, locationIds: readonly number[]): void {
    this.tx(() => {
      this.db.prepare('DELETE FROM channel_stock_locations WHERE channel = ?').run(channel);
      const ins = this.db.prepare('INSERT INTO channel_stock_locations (channel, location_id, position) VALUES (?, ?, ?)');
      locationIds.forEach((id, i) => ins.run(channel, id, i + 1));
    });
  }

  knownChannels(): string[] {
    return (this.db.prepare('SELECT code FROM channels ORDER BY code').all() as Array<{ code: string }>).map((r) => r.code);
  }

  queueInventoryPush(changed: ReadonlyArray<{ sku: string; locationId: number }>, reason: string): number {
    const at = this.now();
    const stmt = this.db.prepare(
      `SELECT cl.channel, c.marketplace FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id
         JOIN channels c ON c.code = cl.channel AND c.enabled = 1
        WHERE v.sku = ? AND coalesce(cl.fulfilled_by, 'merchant') = 'merchant'
          AND (? IN (SELECT location_id FROM channel_stock_locations WHERE channel = cl.channel)
               OR (? = (SELECT id FROM stock_locations WHERE is_home = 1)
                   AND NOT EXISTS (SELECT 1 FROM channel_stock_locations WHERE channel = cl.channel))
               OR ? IN (SELECT location_id FROM marketplace_locations WHERE marketplace = c.marketplace AND active = 1 AND location_id IS NOT NULL))`,
    );
    const seen = new Set<string>();
    let n = 0;
    for (const c of changed) {
      for (const r of stmt.all(c.sku, c.locationId, c.locationId, c.locationId) as Array<{ channel: string; marketplace: string }>) {
        const k = `${r.channel}\u0000${c.sku}`;
        if (seen.has(k)) continue;
        seen.add(k);
        // The listing's stock is wanted again (its offered quantity is derived at plan time).
        markSyncWanted(this.store, r.channel, c.sku, 'inventory', at);
        n++;
      }
    }
    return n;
  }

  // ---- marketplace locations (Shopify): as last read, and the merchant location each one sells ----

  shopLocations(): ShopLocation[] {
    const rows = this.db
      .prepare(
        `SELECT m.marketplace, m.remote_id, m.name, m.country, m.active, m.read_at, m.location_id, l.code AS linked, r.code AS code
           FROM marketplace_locations m
           LEFT JOIN stock_locations l ON l.id = m.location_id
           LEFT JOIN stock_locations r ON r.marketplace = m.marketplace AND r.remote_id = m.remote_id
          ORDER BY m.marketplace, m.name`,
      )
      .all() as Array<{ marketplace: 'shopify'; remote_id: string; name: string; country: string | null; active: bigint; read_at: string; location_id: bigint | null; linked: string | null; code: string | null }>;
    return rows.map((r) => ({ marketplace: r.marketplace, remoteId: r.remote_id, name: r.name, country: r.country, active: r.active === 1n, readAt: r.read_at, linkedLocationId: r.location_id === null ? null : num(r.location_id), linked: r.linked, code: r.code }));
  }

  /** Record a location as the marketplace reported it (its link to a merchant location is kept). */
  saveShopLocation(l: { marketplace: 'shopify'; remoteId: string; name: string; country: string | null; active: boolean }): void {
    this.db
      .prepare(
        `INSERT INTO marketplace_locations (marketplace, remote_id, name, country, active, read_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (marketplace, remote_id) DO UPDATE SET name = excluded.name, country = excluded.country, active = excluded.active, read_at = excluded.read_at`,
      )
      .run(l.marketplace, l.remoteId, l.name, l.country, l.active ? 1 : 0, this.now());
  }

  /** Storefronts with Amazon-fulfilled listings or orders, or an FBA location already: where sync reads FBA stock. */
  fbaChannels(): string[] {
    return (this.db
      .prepare(
        `SELECT DISTINCT channel FROM channel_listings WHERE fulfilled_by = 'marketplace'
         UNION SELECT channel FROM orders WHERE fulfilled_by = 'marketplace'
         UNION SELECT channel FROM stock_locations WHERE kind = 'fba' AND channel IS NOT NULL ORDER BY 1`,
      )
      .all() as Array<{ channel: string }>).map((r) => r.channel);
  }

  setShopLocationLink(marketplace: 'shopify', remoteId: string, locationId: number | null): void {
    this.db.prepare('UPDATE marketplace_locations SET location_id = ? WHERE marketplace = ? AND remote_id = ?').run(locationId, marketplace, remoteId);
  }

  /** Queue an inventory push for every merchant-fulfilled listing of a marketplace's channels; returns how many. */
  queueMarketplaceInventory(marketplace: string, reason: string): number {
    const at = this.now();
    const rows = this.db
      .prepare(
        `SELECT cl.channel, v.sku FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id JOIN channels c ON c.code = cl.channel AND c.enabled = 1
          WHERE c.marketplace = ? AND coalesce(cl.fulfilled_by, 'merchant') = 'merchant' ORDER BY cl.channel, v.sku`,
      )
      .all(marketplace) as Array<{ channel: string; sku: string }>;
    // The listings' stock is wanted again (what each location is offered is derived at plan time).
    for (const r of rows) markSyncWanted(this.store, r.channel, r.sku, 'inventory', at);
    return rows.length;
  }

  // ---- orders (used by services/orders/pull.ts and `orders assign`) ----

  /** Reserve/deduct at a location: reserved += r, on_hand −= d (with its movement). */
  applyOrderEffect(locationId: number, variantId: number, sku: string, reservedDelta: number, deductedDelta: number, orderId: number, command: string): void {
    const t = this.now();
    this.db
      .prepare(
        `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at) VALUES (?, ?, 0, 0, 0, 0, ?)
         ON CONFLICT (location_id, variant_id) DO NOTHING`,
      )
      .run(locationId, variantId, t);
    this.db.prepare('UPDATE stock_levels SET reserved = max(0, reserved + ?), updated_at = ? WHERE location_id = ? AND variant_id = ?').run(reservedDelta, t, locationId, variantId);
    if (deductedDelta !== 0) this.applyOnHand([{ variantId, sku, locationId, delta: -deductedDelta, kind: 'order', reason: null, orderId }], command);
  }

  /** The variant has a stock level somewhere (its stock is tracked). */
  tracked(variantId: number): boolean {
    return this.db.prepare('SELECT 1 FROM stock_levels WHERE variant_id = ? LIMIT 1').get(variantId) !== undefined;
  }

  /** Where a new order of this channel ships from: its first location with stock for every line, else its first location. */
  pickOrderLocation(channel: string, qty: ReadonlyMap<string, number>): number {
    const locs = this.channelLocations(channel).filter((l) => l.active && l.kind !== 'fba' && l.kind !== 'shopify');
    if (!locs.length) return this.home().id;
    const ids = this.variantIds([...qty.keys()]);
    const avail = this.db.prepare('SELECT max(on_hand - reserved, 0) AS a FROM stock_levels WHERE location_id = ? AND variant_id = ?');
    for (const l of locs) {
      let ok = true;
      for (const [sku, q] of qty) {
        const vid = ids.get(sku);
        if (vid === undefined) continue;
        const a = num((avail.get(l.id, vid) as { a: bigint } | undefined)?.a);
        if (a < q) {
          ok = false;
          break;
        }
      }
      if (ok) return l.id;
    }
    return locs[0]!.id;
  }

  ordersByRef(ref: string): OrderStockView[] {
    const m = /^(amazon|ebay|shopify):(.+)$/.exec(ref);
    let rows = (m
      ? this.db.prepare('SELECT * FROM orders WHERE marketplace = ? AND external_id = ?').all(m[1], m[2])
      : this.db.prepare('SELECT * FROM orders WHERE external_id = ?').all(ref)) as Array<Record<string, unknown>>;
    if (!rows.length && /^\d+$/.test(ref)) rows = this.db.prepare('SELECT * FROM orders WHERE id = ?').all(Number(ref)) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: num(r.id as bigint),
      marketplace: String(r.marketplace),
      externalId: String(r.external_id),
      channel: String(r.channel),
      status: String(r.status),
      fulfilledBy: (r.fulfilled_by as 'merchant' | 'marketplace' | null) ?? null,
      locationId: r.stock_location_id == null ? null : num(r.stock_location_id as bigint),
      effects: this.orderEffects(num(r.id as bigint)),
    }));
  }

  moveOrderReservation(orderId: number, locationId: number, command: string): Array<{ sku: string; locationId: number }> {
    const changed: Array<{ sku: string; locationId: number }> = [];
    this.tx(() => {
      const effects = this.orderEffects(orderId);
      const ids = this.variantIds(effects.map((e) => e.sku));
      for (const e of effects) {
        if (e.locationId === locationId) continue;
        const vid = ids.get(e.sku);
        if (e.reserved > 0 && vid !== undefined && this.tracked(vid)) {
          if (e.locationId !== null) {
            this.applyOrderEffect(e.locationId, vid, e.sku, -e.reserved, 0, orderId, command);
            changed.push({ sku: e.sku, locationId: e.locationId });
          }
          this.applyOrderEffect(locationId, vid, e.sku, e.reserved, 0, orderId, command);
          changed.push({ sku: e.sku, locationId });
        }
        this.setOrderEffect(orderId, e.sku, e.reserved, e.deducted, locationId);
      }
      this.setOrderLocation(orderId, locationId);
    });
    return changed;
  }

  orderLocation(orderId: number): number | null {
    const r = this.db.prepare('SELECT stock_location_id FROM orders WHERE id = ?').get(orderId) as { stock_location_id: bigint | null } | undefined;
    return r?.stock_location_id == null ? null : num(r.stock_location_id);
  }

  setOrderLocation(orderId: number, locationId: number | null): void {
    this.db.prepare('UPDATE orders SET stock_location_id = ? WHERE id = ?').run(locationId, orderId);
  }

  orderEffects(orderId: number): Array<{ sku: string; reserved: number; deducted: number; locationId: number | null }> {
    return (this.db.prepare('SELECT sku, reserved, deducted, location_id FROM order_stock_effects WHERE order_id = ? ORDER BY sku').all(orderId) as Array<{ sku: string; reserved: bigint; deducted: bigint; location_id: bigint | null }>).map(
      (r) => ({ sku: r.sku, reserved: num(r.reserved), deducted: num(r.deducted), locationId: r.location_id === null ? null : num(r.location_id) }),
    );
  }

  setOrderEffect(orderId: number, sku: string, reserved: number, deducted: number, locationId: number | null): void {
    this.db
      .prepare(
        `INSERT INTO order_stock_effects (order_id, sku, reserved, deducted, location_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (order_id, sku) DO UPDATE SET reserved = excluded.reserved, deducted = excluded.deducted, location_id = excluded.location_id`,
      )
      .run(orderId, sku, reserved, deducted, locationId);
  }
}

/**
 * The Shopify locations linked to merchant locations, for the sync plan: each one's Shopify id and name,
 * the merchant location whose stock it sells, and a reader of that location's available quantity of a
 * variant (max(on_hand − reserved, 0); undefined when it has no level there). Inactive locations are left out.
 */
export function linkedShopLocations(store: Store, marketplace: string): { links: Array<{ remoteId: string; name: string; locationId: number }>; availableAt: (locationId: number, variantId: number) => number | undefined } {
  const links = (store.db
    .prepare('SELECT remote_id, name, location_id FROM marketplace_locations WHERE marketplace = ? AND active = 1 AND location_id IS NOT NULL ORDER BY name, remote_id')
    .all(marketplace) as Array<{ remote_id: string; name: string; location_id: bigint }>).map((r) => ({ remoteId: r.remote_id, name: r.name, locationId: num(r.location_id) }));
  const stmt = store.db.prepare('SELECT max(on_hand - reserved, 0) AS a FROM stock_levels WHERE location_id = ? AND variant_id = ?');
  return {
    links,
    availableAt: (locationId, variantId) => {
      const r = stmt.get(locationId, variantId) as { a: bigint } | undefined;
      return r ? num(r.a) : undefined;
    },
  };
}
