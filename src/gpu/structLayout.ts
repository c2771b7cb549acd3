/**
 * A WGSL struct of 4-byte scalars, declared once by member name and type, and written or read
 * by member name: the bytes follow the declaration's order, which shaderStructs.test.ts checks
 * against the struct in the shader.
 */

export type ScalarType = 'u32' | 'f32';

export interface StructLayout<Member extends string = string> {
  /** The struct's name in the WGSL. */
  readonly name: string;
  /** Members in declaration order (object keys keep their order; WGSL names never look like integers). */
  readonly members: Readonly<Record<Member, ScalarType>>;
}

/** A value for every member of a layout. */
export type StructValues<Layout> = Layout extends StructLayout<infer Member> ? { readonly [M in Member]: number } : never;

export function structLayout<const Members extends Record<string, ScalarType>>(name: string, members: Members): StructLayout<Extract<keyof Members, string>> {
  return { name, members };
}

/** Bytes of the struct, rounded up to 16 as a uniform buffer binding needs. */
export function structSize(layout: StructLayout): number {
  return Math.max(1, Math.ceil(Object.keys(layout.members).length / 4)) * 16;
}

/** Writes `values` into `view` from byte `at`, member by member in declaration order. */
export function encodeStruct<Layout extends StructLayout>(layout: Layout, values: StructValues<Layout>, view: DataView, at = 0): void {
  const given = values as Readonly<Record<string, number>>;
  Object.entries(layout.members).forEach(([member, type], i) => {
    const value = given[member];
    if (typeof value !== 'number') throw new TypeError(`${layout.name}.${member} has no value`);
    if (type === 'u32') view.setUint32(at + i * 4, value, true);
    else view.setFloat32(at + i * 4, value, true);
  });
}

/** The members of the struct stored in `view` from byte `at`. */
export function decodeStruct<Layout extends StructLayout>(layout: Layout, view: DataView, at = 0): StructValues<Layout> {
  const entries = Object.entries(layout.members).map(([member, type], i) => [member, type === 'u32' ? view.getUint32(at + i * 4, true) : view.getFloat32(at + i * 4, true)]);
  return Object.fromEntries(entries) as StructValues<Layout>;
}
