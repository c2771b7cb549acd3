/**
 * Readers for the fields of parsed JSON that came from outside: each checks one field's
 * presence and type and throws a FieldError naming where it is (`where.key`) and what it held.
 */
export type Json = Record<string, unknown>;

export class FieldError extends Error {
  override readonly name = 'FieldError';
}

function fail(message: string): never {
  throw new FieldError(message);
}

export function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} is not a JSON object`);
  return value as Json;
}

export function field(parent: Json, key: string, where: string): unknown {
  if (!Object.hasOwn(parent, key)) fail(`${where} has no "${key}"`);
  return parent[key];
}

export function string(parent: Json, key: string, where: string): string {
  const value = field(parent, key, where);
  if (typeof value !== 'string') fail(`${where}.${key} is ${JSON.stringify(value)}, not a string`);
  return value;
}

export function integer(parent: Json, key: string, where: string, min: number): number {
  const value = field(parent, key, where);
  if (!Number.isSafeInteger(value) || (value as number) < min) fail(`${where}.${key} is ${JSON.stringify(value)}, not an integer ≥ ${min}`);
  return value as number;
}

/** A JSON array; with `length`, one item per thing counted (e.g. { count: 3, of: 'classes' }). */
export function array(parent: Json, key: string, where: string, length?: { readonly count: number; readonly of: string }): unknown[] {
  const value = field(parent, key, where);
  if (!Array.isArray(value)) fail(`${where}.${key} is not a JSON array`);
  if (length && value.length !== length.count) fail(`${where}.${key} has ${value.length} items, but there are ${length.count} ${length.of}`);
  return value;
}
