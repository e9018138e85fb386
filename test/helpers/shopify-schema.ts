// Shopify's published Admin GraphQL schema (2025-04, test/fixtures/shopify) turned into the 2026-04+
// contract the adapter speaks, and a validator for the requests it sends:
//   + the @idempotent(key:) directive (mandatory at run time on inventory and refund mutations)
//   + InventoryQuantityInput.changeFromQuantity (must be present on every quantity, null allowed)
//   + the 2026 InventorySetQuantitiesUserErrorCode values
//   − compareQuantity / ignoreCompareQuantity (removed in 2026-04)
// Sources: https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations,
// https://shopify.dev/docs/api/usage/implementing-idempotency, the InventorySetQuantitiesUserErrorCode
// and InventoryQuantityInput reference pages (2026-01 and later).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildASTSchema,
  buildSchema,
  getVariableValues,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type FieldNode,
} from 'graphql';

export const REAL_SCHEMA_PATH = resolve(import.meta.dirname, '../fixtures/shopify/admin-2025-04.graphql');

let real: GraphQLSchema | undefined;
let contract: GraphQLSchema | undefined;

/** The SDL without its block descriptions (three quarters of the text; validation does not need them). */
function sdlWithoutDescriptions(): string {
  return readFileSync(REAL_SCHEMA_PATH, 'utf8').replace(/"""[\s\S]*?"""/g, '');
}

/** Shopify's schema exactly as published (2025-04), descriptions aside. */
export function realShopifySchema(): GraphQLSchema {
  return (real ??= buildSchema(sdlWithoutDescriptions(), { assumeValidSDL: true }));
}

const ADDITIONS_2026 = /* GraphQL */ `
directive @idempotent(key: String!) on FIELD
extend input InventoryQuantityInput { changeFromQuantity: Int }
extend enum InventorySetQuantitiesUserErrorCode { CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH }
`;

const REMOVED_2026: Record<string, string[]> = {
  InventoryQuantityInput: ['compareQuantity'],
  InventorySetQuantitiesInput: ['ignoreCompareQuantity'],
};

/** The 2026-04+ Admin schema: the published one with the 2026 additions and removals applied. */
export function shopify2026Schema(): GraphQLSchema {
  if (contract) return contract;
  const doc = parse(sdlWithoutDescriptions(), { noLocation: true });
  const definitions = doc.definitions.map((d) => {
    const removed = d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? REMOVED_2026[d.name.value] : undefined;
    return removed && d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? { ...d, fields: d.fields?.filter((f) => !removed.includes(f.name.value)) } : d;
  });
  const additions = parse(ADDITIONS_2026, { noLocation: true });
  // The published SDL is valid; checking it again costs seconds. The additions are checked by use.
  contract = buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...definitions, ...additions.definitions] }, { assumeValidSDL: true });
  return contract;
}

/** Mutations that need @idempotent(key:) from 2026-04 (the changelog's list, as far as merchant uses them). */
const NEEDS_IDEMPOTENT = new Set(['inventorySetQuantities', 'inventoryAdjustQuantities', 'inventoryMoveQuantities', 'refundCreate']);

export interface GqlRequestBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/**
 * Everything wrong with one request body against the 2026 contract: document validation, variable
 * values coerced against their declared input types (an unknown or removed input field is an error),
 * @idempotent on the mutations that need it, and changeFromQuantity present on every quantity.
 */
export function requestProblems(body: GqlRequestBody): string[] {
  const schema = shopify2026Schema();
  let doc: DocumentNode;
  try {
    doc = parse(body.query);
  } catch (e) {
    return [`parse: ${(e as Error).message}`];
  }
  const problems = validate(schema, doc).map((e) => e.message);
  if (problems.length) return problems;
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = body.operationName ? ops.find((o) => o.name?.value === body.operationName) : ops[0];
  if (!op) return ['no operation'];
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], body.variables ?? {});
  if (coerced.errors) problems.push(...coerced.errors.map((e) => `variables: ${e.message}`));
  if (op.operation === 'mutation') {
    for (const sel of op.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD) continue;
      const f = sel as FieldNode;
      if (NEEDS_IDEMPOTENT.has(f.name.value) && !f.directives?.some((d) => d.name.value === 'idempotent')) problems.push(`${f.name.value} without @idempotent(key:)`);
    }
  }
  const quantities = (body.variables?.input as { quantities?: unknown[] } | undefined)?.quantities;
  if (/inventorySetQuantities/.test(body.query) && Array.isArray(quantities)) {
    quantities.forEach((q, i) => {
      if (!q || typeof q !== 'object' || !('changeFromQuantity' in q)) problems.push(`quantities[${i}] has no changeFromQuantity (mandatory from 2026-04, null allowed)`);
    });
  }
  return problems;
}
