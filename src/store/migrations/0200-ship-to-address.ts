// Every stored ship-to address in the one shape of core/address.ts (issue #21): until now ship_to_json
// kept each marketplace's own shape (eBay `fullName` + `contactAddress{addressLine1…}`, Amazon
// `addressLine1`/`stateOrRegion`/`countryCode`, Shopify `address1`/`zip`/`countryCodeV2`), and orders
// from files had none. `ship book` read only some of those keys, so an eBay order reached the carrier
// with a name and a country. The rewrite is pure SQL (JSON1): one UPDATE per source shape, each keyed on
// keys only that shape has; rows already in the new shape, and unreadable JSON, are left alone.

const v = (path: string) => `nullif(trim(json_extract(ship_to_json, '${path}')), '')`;
const has = (path: string) => `json_type(ship_to_json, '${path}') IS NOT NULL`;
const obj = (f: Record<string, string>) =>
  `json_object('name', ${f.name}, 'company', ${f.company}, 'street1', ${f.street1}, 'street2', ${f.street2}, 'city', ${f.city}, 'state', ${f.state}, 'postalCode', ${f.postalCode}, 'country', upper(${f.country}), 'phone', ${f.phone}, 'email', ${f.email})`;
const ours = `(${has('$.street1')} AND ${has('$.postalCode')} AND ${has('$.country')} AND ${has('$.email')})`;
const valid = `ship_to_json IS NOT NULL AND json_valid(ship_to_json) AND json_type(ship_to_json) = 'object' AND NOT ${ours}`;

const ebay = obj({
  name: `coalesce(${v('$.fullName')}, buyer_name)`,
  company: v('$.companyName'),
  street1: v('$.contactAddress.addressLine1'),
  street2: v('$.contactAddress.addressLine2'),
  city: v('$.contactAddress.city'),
  state: v('$.contactAddress.stateOrProvince'),
  postalCode: v('$.contactAddress.postalCode'),
  country: `coalesce(${v('$.contactAddress.countryCode')}, ship_country)`,
  phone: v('$.primaryPhone.phoneNumber'),
  email: `coalesce(${v('$.email')}, buyer_email)`,
});
const amazon = obj({
  name: `coalesce(${v('$.name')}, buyer_name)`,
  company: v('$.companyName'),
  street1: v('$.addressLine1'),
  street2: `nullif(trim(coalesce(${v('$.addressLine2')}, '') || CASE WHEN ${v('$.addressLine2')} IS NOT NULL AND ${v('$.addressLine3')} IS NOT NULL THEN ', ' ELSE '' END || coalesce(${v('$.addressLine3')}, '')), '')`,
  city: `coalesce(${v('$.city')}, ${v('$.municipality')}, ${v('$.districtOrCounty')})`,
  state: v('$.stateOrRegion'),
  postalCode: v('$.postalCode'),
  country: `coalesce(${v('$.countryCode')}, ship_country)`,
  phone: v('$.phone'),
  email: `coalesce(${v('$.email')}, buyer_email)`,
});
const shopify = obj({
  name: `coalesce(${v('$.name')}, nullif(trim(coalesce(${v('$.firstName')}, '') || ' ' || coalesce(${v('$.lastName')}, '')), ''), buyer_name)`,
  company: v('$.company'),
  street1: `coalesce(${v('$.address1')}, ${v('$.street1')})`,
  street2: `coalesce(${v('$.address2')}, ${v('$.street2')})`,
  city: v('$.city'),
  state: `coalesce(${v('$.provinceCode')}, ${v('$.province')}, ${v('$.state')})`,
  postalCode: `coalesce(${v('$.zip')}, ${v('$.postalCode')})`,
  country: `coalesce(${v('$.countryCodeV2')}, ${v('$.countryCode')}, CASE WHEN length(${v('$.country')}) = 2 THEN ${v('$.country')} END, ship_country)`,
  phone: v('$.phone'),
  email: `coalesce(${v('$.email')}, buyer_email)`,
});
// Anything else that is an object: our own keys where present (street1, postalCode, state…).
const loose = obj({
  name: `coalesce(${v('$.name')}, buyer_name)`,
  company: v('$.company'),
  street1: `coalesce(${v('$.street1')}, ${v('$.line1')})`,
  street2: `coalesce(${v('$.street2')}, ${v('$.line2')})`,
  city: v('$.city'),
  state: `coalesce(${v('$.state')}, ${v('$.region')})`,
  postalCode: `coalesce(${v('$.postalCode')}, ${v('$.postcode')})`,
  country: `coalesce(CASE WHEN length(${v('$.country')}) = 2 THEN ${v('$.country')} END, ship_country)`,
  phone: v('$.phone'),
  email: `coalesce(${v('$.email')}, buyer_email)`,
});
const fromOrder = obj({ name: 'buyer_name', company: 'NULL', street1: 'NULL', street2: 'NULL', city: 'NULL', state: 'NULL', postalCode: 'NULL', country: 'ship_country', phone: 'NULL', email: 'buyer_email' });

const isEbay = `(json_type(ship_to_json, '$.contactAddress') = 'object' OR ${has('$.fullName')})`;
const isAmazon = `(${has('$.addressLine1')} OR ${has('$.stateOrRegion')} OR ${has('$.countryCode')} OR ${has('$.companyName')})`;
const isShopify = `(${has('$.address1')} OR ${has('$.zip')} OR ${has('$.countryCodeV2')} OR ${has('$.provinceCode')} OR ${has('$.firstName')})`;

export default {
  version: 200,
  name: 'ship-to-address',
  sql: `
UPDATE orders SET ship_to_json = ${ebay} WHERE ${valid} AND ${isEbay};
UPDATE orders SET ship_to_json = ${amazon} WHERE ${valid} AND ${isAmazon};
UPDATE orders SET ship_to_json = ${shopify} WHERE ${valid} AND ${isShopify};
UPDATE orders SET ship_to_json = ${loose} WHERE ${valid};
UPDATE orders SET ship_to_json = ${fromOrder} WHERE ship_to_json IS NULL AND (buyer_name IS NOT NULL OR ship_country IS NOT NULL);
`,
};
