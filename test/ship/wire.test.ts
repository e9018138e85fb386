// The declaration in each carrier's own format (pure mapping; the EasyPost one is also checked on the
// wire against the sandbox in book.test.ts).
import { describe, expect, it } from 'vitest';
import { easypostCustoms, iossIssuingCountry, ozLineTotal } from '../../src/adapters/carriers/easypost/index.js';
import { shippoCustoms } from '../../src/adapters/carriers/shippo/index.js';
import { checkCustoms } from '../../src/core/customs/engine.js';
import type { CreateShipmentRequest } from '../../src/ports/carrier.js';
import { item, parcel, tableFx } from '../customs/helpers.js';

function request(p: Parameters<typeof parcel>[0]): CreateShipmentRequest {
  const input = parcel(p);
  return {
    reference: 'REF-1',
    from: { country: input.from.country },
    to: { country: input.to.country },
    parcel: { weightGrams: 1000 },
    customs: { input, result: checkCustoms(input, tableFx()), signer: 'Anna Lindqvist' },
  };
}

describe('carrier customs formats', () => {
  const req = request({ from: { country: 'SE' }, to: { country: 'DE' }, date: '2026-07-02', items: [item({ value: '24.90', quantity: 3, unitWeightGrams: 420, sku: 'MUG-1', hsCode: '6912.00' })] });
  req.customs!.input.from = { country: 'CN' }; // outside the EU so a declaration is needed
  req.customs!.result = checkCustoms(req.customs!.input, tableFx());

  it('EasyPost: line total value in the stated currency, line weight in ounces (3 decimals, truncated), lower-case enums, IOSS as a tax identifier', () => {
    const ep = easypostCustoms(req)!;
    expect(ep.customs_info).toMatchObject({ contents_type: 'merchandise', non_delivery_option: 'return', restriction_type: 'none', customs_certify: true, customs_signer: 'Anna Lindqvist', eel_pfc: 'NOEEI 30.37(a)' });
    expect((ep.customs_info.customs_items as unknown[])[0]).toEqual({ description: 'Stoneware mug', quantity: 3, value: '74.70', currency: 'EUR', weight: 44.445, hs_tariff_number: '691200', origin_country: 'SE', code: 'MUG-1' });
    expect(ep.tax_identifiers).toContainEqual({ entity: 'SENDER', tax_id_type: 'IOSS', tax_id: 'IM2760000123', issuing_country: 'DE' });
    expect(ep.tax_identifiers).toContainEqual({ entity: 'SENDER', tax_id_type: 'EORI', tax_id: 'SE5566778899', issuing_country: 'SE' });
    expect(ozLineTotal(1)).toBe(0.035);
  });

  it('Shippo: line totals (quantity × unit) for value and net weight, as strings with units; upper-case enums, DDU for DAP, exporter identification', () => {
    const sh = shippoCustoms(req)!;
    expect(sh).toMatchObject({ contents_type: 'MERCHANDISE', non_delivery_option: 'RETURN', eel_pfc: 'NOEEI_30_37_a', incoterm: 'DDU', certify: true, certify_signer: 'Anna Lindqvist', is_vat_collected: true });
    expect(sh.exporter_identification).toEqual({ eori_number: 'SE5566778899', tax_id: { number: 'IM2760000123', type: 'IOSS' } });
    // Shippo API reference, Customs Items: value_amount = quantity × value per item, net_weight = quantity × weight per item
    expect((sh.items as unknown[])[0]).toMatchObject({ quantity: 3, value_amount: '74.70', value_currency: 'EUR', net_weight: '1260', mass_unit: 'g', tariff_number: '691200', origin_country: 'SE', sku_code: 'MUG-1' });
  });

  it('US → CA uses NOEEI 30.36 in both formats', () => {
    const r = request({ from: { country: 'US' }, to: { country: 'CA' }, items: [item({ value: '10.00', currency: 'USD' })] });
    expect(easypostCustoms(r)!.customs_info.eel_pfc).toBe('NOEEI 30.36');
    expect(shippoCustoms(r)!.eel_pfc).toBe('NOEEI_30_36');
  });

  it('an IOSS number is issued by the member state its digits name, not by the destination', () => {
    expect(iossIssuingCountry('IM2760000123')).toBe('DE');
    expect(iossIssuingCountry('IM7520000123')).toBe('SE');
    expect(iossIssuingCountry('IM3720001234')).toBe('IE');
    expect(iossIssuingCountry('IM9990000123')).toBeUndefined();
    const r = request({ from: { country: 'CN' }, to: { country: 'FR' }, date: '2026-07-02', seller: { ioss: 'IM7520000123' }, items: [item({ value: '20.00' })] });
    expect(easypostCustoms(r)!.tax_identifiers).toContainEqual({ entity: 'SENDER', tax_id_type: 'IOSS', tax_id: 'IM7520000123', issuing_country: 'SE' });
  });

  it('no declaration inside the EU', () => {
    const r = request({ from: { country: 'SE' }, to: { country: 'DE' } });
    expect(easypostCustoms(r)).toBeUndefined();
    expect(shippoCustoms(r)).toBeUndefined();
  });
});
