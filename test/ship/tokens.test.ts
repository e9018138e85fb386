// Shippo's carrier tokens come from Shippo's own list (data/shippo-carriers.csv), never from a display name.
import { describe, expect, it } from 'vitest';
import { isShippoCarrierToken, shippoCarriers, shippoCarrierToken } from '../../src/core/shippo-carriers.js';

describe("Shippo's carrier tokens", () => {
  it('the table is Shippo\'s list: unique snake-case tokens, the carriers merchant ships with among them', () => {
    const tokens = shippoCarriers().map((c) => c.token);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.every((t) => /^[a-z0-9_]+$/.test(t))).toBe(true);
    expect(tokens.length).toBeGreaterThanOrEqual(60);
    for (const t of ['usps', 'ups', 'fedex', 'dhl_express', 'dhl_ecommerce', 'hermes_uk', 'deutsche_post', 'royal_mail', 'canada_post', 'australia_post']) expect(isShippoCarrierToken(t)).toBe(true);
    for (const t of ['fed_ex', 'evri', 'dhl_e_commerce', 'DHL Express', 'shippo']) expect(isShippoCarrierToken(t)).toBe(false);
  });

  it.each([
    [{ provider: 'FedEx' }, 'fedex'],
    [{ provider: 'Evri' }, 'hermes_uk'],
    [{ provider: 'Evri UK' }, 'hermes_uk'],
    [{ provider: 'Hermes UK' }, 'hermes_uk'],
    [{ provider: 'DHL eCommerce' }, 'dhl_ecommerce'],
    [{ provider: 'DHL Express' }, 'dhl_express'],
    [{ provider: 'Deutsche Post' }, 'deutsche_post'],
    [{ provider: 'Correos España' }, 'correos_espana'],
    [{ provider: 'NZ Post' }, 'new_zealand_post'],
    [{ provider: 'ePost Global' }, 'rr_donnelley'],
    [{ servicelevelToken: 'fedex_ground', provider: 'Some Reseller' }, 'fedex'],
    [{ servicelevelToken: 'hermes_uk_parcelshop_dropoff' }, 'hermes_uk'],
    [{ servicelevelToken: 'dhl_ecommerce_parcel_expedited' }, 'dhl_ecommerce'],
    [{ servicelevelToken: 'dhl_germany_c2c_paket' }, 'dhl_germany_c2c'],
    [{ servicelevelToken: 'usps_priority' }, 'usps'],
  ])('%o → %s', (rate, token) => {
    expect(shippoCarrierToken(rate)).toBe(token);
  });

  it('a carrier Shippo does not list has no token (tracking says so instead of guessing)', () => {
    expect(shippoCarrierToken({ provider: 'Acme Parcels' })).toBeUndefined();
    expect(shippoCarrierToken({ servicelevelToken: 'acme_next_day', provider: 'Acme Parcels' })).toBeUndefined();
  });
});
