import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHADER_STRUCTS } from './shaderStructs';
import type { StructLayout } from './structLayout';

const SHADERS = new URL('../../shaders/', import.meta.url);

interface ParsedStruct {
  readonly name: string;
  /** [member, type] in declaration order. */
  readonly members: [string, string][];
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** Every `struct Name { member: type, … }` of a WGSL source. */
function parseStructs(code: string): ParsedStruct[] {
  const source = withoutComments(code);
  return Array.from(source.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g), ([, name, body]) => ({
    name,
    members: body
      .split(',')
      .map((member) => member.trim())
      .filter((member) => member.length > 0)
      .map((member) => {
        const match = /^(\w+)\s*:\s*(.+)$/.exec(member);
        if (!match) throw new Error(`struct ${name}: cannot read member "${member}"`);
        return [match[1], match[2].replace(/\s+/g, '')];
      }),
  }));
}

/** Names of the structs that module-scope uniform or storage variables are declared with. */
function boundStructs(code: string): Set<string> {
  return new Set(Array.from(withoutComments(code).matchAll(/var<(?:uniform|storage[^>]*)>\s*\w+\s*:\s*(\w+)\s*;/g), ([, type]) => type));
}

const shaderFiles = readdirSync(SHADERS).filter((file) => file.endsWith('.wgsl'));

describe('parseStructs', () => {
  it('reads members, types and order, skipping comments', () => {
    const code = 'struct A {\n  x: u32, // a count\n  y : f32,\n  /* gone */ z: vec4f\n}\nstruct B { w: u32 }';
    expect(parseStructs(code)).toEqual([
      { name: 'A', members: [['x', 'u32'], ['y', 'f32'], ['z', 'vec4f']] },
      { name: 'B', members: [['w', 'u32']] },
    ]);
  });
});

describe('shader structs', () => {
  it('names only shader files that exist', () => {
    for (const file of Object.keys(SHADER_STRUCTS)) expect(shaderFiles, 'shader files').toContain(file);
  });

  for (const file of shaderFiles) {
    it(`${file}: every bound struct is declared in TypeScript with the same members in the same order`, () => {
      const code = readFileSync(new URL(file, SHADERS), 'utf8');
      const parsed = new Map(parseStructs(code).map((struct) => [struct.name, struct.members]));
      const declared: Readonly<Record<string, StructLayout>> = (SHADER_STRUCTS as Readonly<Record<string, Readonly<Record<string, StructLayout>>>>)[file] ?? {};
      for (const name of boundStructs(code)) {
        if (!parsed.has(name)) continue;
        expect(Object.keys(declared), `${file}: struct ${name} is bound but not declared in shaderStructs.ts`).toContain(name);
      }
      for (const [key, layout] of Object.entries(declared)) {
        expect(layout.name, `${file}: the declaration under ${key}`).toBe(key);
        expect(parsed.has(key), `${file} has no struct ${key}`).toBe(true);
        expect(Object.entries(layout.members), `${file}: struct ${key}`).toEqual(parsed.get(key));
      }
    });
  }
});
