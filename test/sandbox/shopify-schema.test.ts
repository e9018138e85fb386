// The sandbox executes GraphQL against its own 2026-10 SDL subset. A subset written by hand can drift
// from Shopify's real schema (a field we invented, a wrong type, an argument Shopify does not take),
// and then the adapter and the sandbox would agree on something the real API rejects. This test
// holds every type, field, argument, input field and enum value of our SDL against Shopify's
// published Admin schema (fixtures/shopify/admin-2025-04.graphql, MIT, from ../shared/specs), and
// allows only the documented 2026 additions (SHOPIFY_2026_ADDITIONS).
import { describe, expect, it } from 'vitest';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { shopifySdl, SHOPIFY_2026_ADDITIONS } from '../../src/sandbox/shopify-schema.js';
import { realShopifySchema, REAL_SCHEMA_PATH } from '../helpers/shopify-schema.js';

const ROOTS: Record<string, string> = { Query: 'QueryRoot' };

function typeText(t: { toString(): string }): string {
  return t.toString().replace(/\bQuery\b/g, 'QueryRoot');
}

function argText(a: GraphQLArgument | { type: unknown; defaultValue?: unknown }): string {
  return `${typeText(a.type as { toString(): string })}${a.defaultValue !== undefined ? ` = ${JSON.stringify(a.defaultValue)}` : ''}`;
}

function differences(ours: GraphQLSchema, theirs: GraphQLSchema): string[] {
  const out: string[] = [];
  const allowedInput = new Set<string>(SHOPIFY_2026_ADDITIONS.inputFields);
  const allowedEnum = new Set<string>(SHOPIFY_2026_ADDITIONS.enumValues);
  for (const t of Object.values(ours.getTypeMap())) {
    if (t.name.startsWith('__')) continue;
    const real = theirs.getType(ROOTS[t.name] ?? t.name);
    if (!real) {
      out.push(`type ${t.name} does not exist in Shopify's schema`);
      continue;
    }
    if (isScalarType(t)) {
      if (!isScalarType(real)) out.push(`${t.name} is a scalar here, not there`);
    } else if (isEnumType(t)) {
      if (!isEnumType(real)) {
        out.push(`${t.name} is an enum here, not there`);
        continue;
      }
      const values = new Set(real.getValues().map((v) => v.name));
      for (const v of t.getValues()) if (!values.has(v.name) && !allowedEnum.has(`${t.name}.${v.name}`)) out.push(`enum value ${t.name}.${v.name} is not Shopify's`);
    } else if (isObjectType(t) || isInterfaceType(t)) {
      if (!(isObjectType(real) || isInterfaceType(real))) {
        out.push(`${t.name} is an object here, not there`);
        continue;
      }
      const realIfaces = new Set(real.getInterfaces().map((i) => i.name));
      for (const i of t.getInterfaces()) if (!realIfaces.has(i.name)) out.push(`${t.name} implements ${i.name} here only`);
      const realFields = real.getFields();
      for (const f of Object.values(t.getFields())) {
        const rf = realFields[f.name];
        if (!rf) {
          out.push(`field ${t.name}.${f.name} does not exist in Shopify's schema`);
          continue;
        }
        if (typeText(f.type) !== typeText(rf.type)) out.push(`${t.name}.${f.name}: ${typeText(f.type)} here, ${typeText(rf.type)} there`);
        const realArgs = new Map(rf.args.map((a) => [a.name, a]));
        for (const a of f.args) {
          const ra = realArgs.get(a.name);
          if (!ra) out.push(`argument ${t.name}.${f.name}(${a.name}) is not Shopify's`);
          else if (argText(a) !== argText(ra)) out.push(`${t.name}.${f.name}(${a.name}): ${argText(a)} here, ${argText(ra)} there`);
        }
        for (const ra of rf.args) {
          if (ra.type.toString().endsWith('!') && ra.defaultValue === undefined && !f.args.some((a) => a.name === ra.name)) out.push(`${t.name}.${f.name} lacks Shopify's required argument ${ra.name}`);
        }
      }
    } else if (isInputObjectType(t)) {
      if (!isInputObjectType(real)) {
        out.push(`${t.name} is an input here, not there`);
        continue;
      }
      const realFields = real.getFields();
      for (const f of Object.values(t.getFields())) {
        const rf = realFields[f.name];
        if (!rf) {
          if (!allowedInput.has(`${t.name}.${f.name}`)) out.push(`input field ${t.name}.${f.name} is not Shopify's`);
          continue;
        }
        if (argText(f) !== argText(rf)) out.push(`${t.name}.${f.name}: ${argText(f)} here, ${argText(rf)} there`);
      }
      for (const rf of Object.values(realFields)) {
        if (rf.type.toString().endsWith('!') && rf.defaultValue === undefined && !t.getFields()[rf.name]) out.push(`${t.name} lacks Shopify's required input field ${rf.name}`);
      }
    } else if (isUnionType(t)) {
      if (!isUnionType(real)) out.push(`${t.name} is a union here, not there`);
    }
  }
  for (const d of ours.getDirectives()) {
    if (SHOPIFY_2026_ADDITIONS.directives.includes(d.name as 'idempotent')) continue;
    if (!theirs.getDirective(d.name)) out.push(`directive @${d.name} is not Shopify's`);
  }
  return out;
}

describe("the sandbox's Shopify schema against Shopify's published one", () => {
  it(`every type, field, argument and enum value exists in ${REAL_SCHEMA_PATH.split('/').slice(-2).join('/')} with the same type (2026 additions aside)`, () => {
    const ours = buildSchema(shopifySdl());
    expect(differences(ours, realShopifySchema())).toEqual([]);
  });

  it('the check itself finds an invented field, a wrong type and an unknown enum value', () => {
    const bad = buildSchema(`${shopifySdl()}\nextend type Order { madeUp: String }\nextend enum OrderSortKeys { NOT_SHOPIFYS }`.replace('quantity: Int!\n  currentQuantity', 'quantity: String!\n  currentQuantity').replace('sortKey: LocationSortKeys = NAME', 'sortKey: LocationSortKeys = ID'));
    const found = differences(bad, realShopifySchema()).join('\n');
    expect(found).toMatch(/field Order\.madeUp does not exist/);
    expect(found).toMatch(/enum value OrderSortKeys\.NOT_SHOPIFYS/);
    expect(found).toMatch(/LineItem\.quantity: String! here, Int! there/);
    expect(found).toMatch(/Query\.locations\(sortKey\): LocationSortKeys = "ID" here, LocationSortKeys = "NAME" there/);
  });

  it('the 2026 additions are exactly what the 2025-04 schema lacks', () => {
    const theirs = realShopifySchema();
    expect(theirs.getDirective('idempotent')).toBeUndefined();
    const input = theirs.getType('InventoryQuantityInput');
    expect(isInputObjectType(input) && input.getFields().changeFromQuantity).toBeFalsy();
    const codes = theirs.getType('InventorySetQuantitiesUserErrorCode');
    expect(isEnumType(codes) && codes.getValues().map((v) => v.name)).not.toContain('CHANGE_FROM_QUANTITY_STALE');
    void getNamedType;
  });
});
