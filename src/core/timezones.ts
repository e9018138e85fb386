// IANA time zones: the zones of each country (data/zones.csv, from the tz database's zone.tab, the
// most populous zone first), the canonical spelling of a zone, and suggestions for a misspelt one.

import { readFileSync } from 'node:fs';
import { dataPath } from '../config/paths.js';

let byCountry: Map<string, string[]> | undefined;

function load(): Map<string, string[]> {
  if (byCountry) return byCountry;
  const map = new Map<string, string[]>();
  for (const line of readFileSync(dataPath('zones.csv'), 'utf8').split(/\r?\n/).slice(1)) {
    const [country, zone] = line.split(',');
    if (!country || !zone) continue;
    const list = map.get(country) ?? [];
    list.push(zone);
    map.set(country, list);
  }
  byCountry = map;
  return map;
}

/** The zones of a country (ISO alpha-2), its most populous first; empty when unknown. */
export function zonesOf(country: string): string[] {
  return [...(load().get(country.toUpperCase()) ?? [])];
}

/** The UTC offset of a zone at an instant, in minutes ("GMT+5:30" → 330). */
function offsetAt(zone: string, at: Date): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(part);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

/**
 * The country's default zone, and the zones that keep a different time from it (offsets compared in
 * January and July of `year`). Germany's Büsingen keeps Berlin's time: no question. The Canaries do not.
 */
export function countryZones(country: string, year = new Date().getUTCFullYear()): { zone?: string; differing: string[] } {
  const all = zonesOf(country);
  const first = all[0];
  if (!first) return { differing: [] };
  const probes = [new Date(Date.UTC(year, 0, 15, 12)), new Date(Date.UTC(year, 6, 15, 12))];
  const key = (z: string) => probes.map((d) => offsetAt(z, d)).join('/');
  const seen = new Set([key(first)]);
  const differing: string[] = [];
  for (const z of all.slice(1)) {
    const k = key(z);
    if (seen.has(k)) continue;
    seen.add(k);
    differing.push(z);
  }
  return { zone: first, differing };
}

/** The zone a business in this country keeps its books in, when the country keeps one time. */
export function onlyZoneOf(country: string, year?: number): string | undefined {
  const z = countryZones(country, year);
  return z.differing.length ? undefined : z.zone;
}

/** The canonical name of a valid zone, whatever its case ("europe/stockholm" → "Europe/Stockholm"). */
export function canonicalTimezone(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
  } catch {
    return undefined;
  }
  // Keep the zone as named (ICU would turn CET into Europe/Brussels), with its canonical case.
  return knownZones().find((z) => z.toLowerCase() === v.toLowerCase()) ?? v;
}

let zones: string[] | undefined;
function knownZones(): string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf('timeZone'), ...[...load().values()].flat(), 'UTC'])];
  return zones;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Up to three zones a misspelt name probably meant: by city ("stockholm", "new york"), then by edit
 * distance on the whole name and on the city part ("Europe/Stokholm", "Amercia/New_York").
 */
export function suggestTimezones(value: string, max = 3): string[] {
  const v = fold(value.trim());
  if (!v) return [];
  const scored = knownZones().map((z) => {
    const city = fold(z.split('/').pop()!);
    const whole = fold(z);
    const d = Math.min(distance(v, whole), distance(v, city), v.includes('/') ? Infinity : distance(v, city));
    const exactCity = city === v ? -1 : 0;
    return { z, d: d + exactCity };
  });
  const limit = Math.max(2, Math.floor(v.length / 4));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.z.localeCompare(b.z))
    .slice(0, max)
    .map((s) => s.z);
}
