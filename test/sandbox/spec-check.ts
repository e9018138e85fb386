// Check sandbox responses against published OpenAPI/Swagger schemas: ajv for types and required
// fields, plus a walk that reports properties the spec does not define (so invented fields show up).

import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Schema = Record<string, unknown>;

export const SHARED_SPECS = resolve(import.meta.dirname, '../../../shared/specs');

export function loadSpec(path: string): Schema | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Schema) : undefined;
}

export class SpecChecker {
  private ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  constructor(
    private readonly spec: Schema,
    private readonly id: string,
    /** '#/components/schemas/' (OpenAPI 3) or '#/definitions/' (Swagger 2). */
    private readonly base: string,
  ) {
    this.ajv.addSchema(spec, id);
  }

  private resolveRef(ref: string): Schema {
    const parts = ref.replace(/^#\//, '').split('/');
    let cur: unknown = this.spec;
    for (const p of parts) cur = (cur as Schema)[p];
    return cur as Schema;
  }

  /** ajv errors (empty = valid) for value against the named schema. */
  errors(name: string, value: unknown): string[] {
    const v = this.ajv.getSchema(`${this.id}${this.base}${name}`) ?? this.ajv.compile({ $ref: `${this.id}${this.base}${name}` });
    return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  }

  /** Paths of object keys present in value but not defined by the schema. */
  unknownKeys(name: string, value: unknown): string[] {
    const out: string[] = [];
    const walk = (schema: Schema | undefined, v: unknown, path: string) => {
      if (!schema || v === null || v === undefined) return;
      if (typeof schema.$ref === 'string') return walk(this.resolveRef(schema.$ref), v, path);
      for (const k of ['allOf', 'oneOf', 'anyOf'] as const) {
        if (Array.isArray(schema[k])) {
          const merged: Schema = { type: 'object', properties: {} };
          for (const s of schema[k] as Schema[]) {
            const r = typeof s.$ref === 'string' ? this.resolveRef(s.$ref) : s;
            Object.assign(merged.properties as Schema, (r.properties as Schema) ?? {});
          }
          return walk(merged, v, path);
        }
      }
      if (Array.isArray(v)) {
        v.forEach((item, i) => walk(schema.items as Schema | undefined, item, `${path}[${i}]`));
        return;
      }
      if (typeof v === 'object' && schema.properties) {
        const props = schema.properties as Schema;
        for (const [k, child] of Object.entries(v as Schema)) {
          if (!(k in props)) {
            if (!schema.additionalProperties) out.push(`${path}.${k}`);
            continue;
          }
          walk(props[k] as Schema, child, `${path}.${k}`);
        }
      }
    };
    walk(this.resolveRef(`${this.base}${name}`.replace(/^#/, '#')), value, '$');
    return out;
  }
}
