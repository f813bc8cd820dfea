/**
 * Walking the zod schema along a field path, guided by the document's data (to pick the branch of
 * a union by its `kind`): which fields exist at a path, what a leaf's unit is. Used to check
 * `--set` paths and to word error messages.
 */
import * as z from 'zod';
import type { PathSeg } from './source';

type Schema = z.ZodType;

/**
 * The options of the unions built by `kindUnion` (schema-parts.ts): each is a z.lazy whose tag (its
 * discriminator's value) is known without building it, so that walking a path through one kind
 * builds that kind only.
 */
export const kindTags = new WeakMap<Schema, { key: string; value: string }>();

/** Strip optional/nullable/default/prefault/readonly wrappers and transforms (their input side). */
export function unwrap(s: Schema): Schema {
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodReadonly) s = s.unwrap() as Schema;
    else if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.def.innerType as Schema;
    else if (s instanceof z.ZodPipe) s = s.def.in as Schema;
    else if (s instanceof z.ZodLazy) s = s.def.getter() as Schema;
    else return s;
  }
}

/** The concrete alternatives a value at this schema may take, narrowed by the data's discriminator. */
export function alternatives(s: Schema, data: unknown): Schema[] {
  const u = unwrap(s);
  if (u instanceof z.ZodDiscriminatedUnion) {
    const key = u.def.discriminator;
    const options = u.options as Schema[];
    const tag = isRecord(data) ? data[key] : undefined;
    const matching = options.filter((o) => literalOf(o, key) === tag);
    return (matching.length > 0 ? matching : options).flatMap((o) => alternatives(o, data));
  }
  if (u instanceof z.ZodUnion) return (u.options as Schema[]).flatMap((o) => alternatives(o, data));
  return [u];
}

/** The literal value of field `key` of an object schema (a union branch's tag). */
export function literalOf(s: Schema, key: string): unknown {
  const tag = kindTags.get(s);
  if (tag !== undefined && tag.key === key) return tag.value;
  const u = unwrap(s);
  if (!(u instanceof z.ZodObject)) return undefined;
  const f = u.shape[key] as Schema | undefined;
  const lit = f === undefined ? undefined : unwrap(f);
  return lit instanceof z.ZodLiteral ? lit.value : undefined;
}

export type Step =
  | { ok: true; schemas: Schema[]; data: unknown }
  | { ok: false; problem: 'unknown-field'; allowed: string[] }
  | { ok: false; problem: 'not-a-map'; found: string }
  | { ok: false; problem: 'bad-index'; length: number };

/** One step down a path from the alternatives `schemas` of a value `data`. */
export function step(schemas: readonly Schema[], seg: PathSeg, data: unknown): Step {
  const next: Schema[] = [];
  const allowed: string[] = [];
  let length = Infinity;
  const child = isRecord(data) && Object.hasOwn(data, String(seg)) ? data[String(seg)] : Array.isArray(data) && typeof seg === 'number' ? data[seg] : undefined;
  for (const alt of schemas.flatMap((s) => alternatives(s, data))) {
    if (alt instanceof z.ZodObject) {
      const f = alt.shape[String(seg)] as Schema | undefined;
      if (f !== undefined) next.push(f);
      else allowed.push(...Object.keys(alt.shape).filter((k) => !allowed.includes(k)));
    } else if (alt instanceof z.ZodRecord) {
      if (typeof seg === 'string') next.push(alt.def.valueType as Schema);
    } else if (alt instanceof z.ZodArray) {
      if (typeof seg === 'number') next.push(alt.element as Schema);
    } else if (alt instanceof z.ZodTuple) {
      const items = alt.def.items as Schema[];
      if (typeof seg === 'number' && seg < items.length) next.push(items[seg]!);
      else length = items.length;
    }
  }
  if (next.length > 0) return { ok: true, schemas: next, data: child };
  if (length !== Infinity) return { ok: false, problem: 'bad-index', length };
  if (allowed.length > 0) return { ok: false, problem: 'unknown-field', allowed };
  return { ok: false, problem: 'not-a-map', found: schemas.map((s) => typeName(unwrap(s))).join(' or ') };
}

/** The alternatives at `path` in `root`, or undefined if the path leaves the schema. */
export function schemasAt(root: Schema, path: readonly PathSeg[], data: unknown): Schema[] | undefined {
  let schemas: Schema[] = [root];
  let here = data;
  for (const seg of path) {
    const s = step(schemas, seg, here);
    if (!s.ok) return undefined;
    schemas = s.schemas;
    here = s.data;
  }
  return schemas;
}

/** Short name of what a schema accepts, for messages: `a number`, `a map`, `true or false`. */
export function typeName(s: Schema): string {
  if (s instanceof z.ZodNumber) return s.format === 'safeint' || s.isInt ? 'an integer' : 'a number';
  if (s instanceof z.ZodString) return 'a string';
  if (s instanceof z.ZodBoolean) return 'true or false';
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return 'a map';
  if (s instanceof z.ZodArray || s instanceof z.ZodTuple) return 'a list';
  if (s instanceof z.ZodEnum) return `one of ${s.options.join(', ')}`;
  if (s instanceof z.ZodLiteral) return `'${String(s.value)}'`;
  if (s instanceof z.ZodUnion) return (s.options as Schema[]).map((o) => typeName(unwrap(o))).join(' or ');
  return 'a value';
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
