import { describe, expect, it } from 'vitest';
import type { ProjectRecord } from '../../storage/projectRecords';
import { csvField, exportName, safeFileName } from './resultsTable';

const project = (name: string): ProjectRecord => ({
  id: 'p1',
  name,
  backboneId: 'f'.repeat(64),
  backboneName: 'built-in',
  classes: [],
  maskClasses: [],
  settings: { longestSide: 224, upsample: 1, etalons: 32, condensationEpochs: 10, classifierEpochs: 5, seed: 1 },
  modelId: null,
  epsilon: 0.01,
  alpha: 0.01,
  minDefectArea: 0,
  createdAt: new Date(0).toISOString(),
});

const named = (name: string) => exportName(project(name), 'results', 'csv');
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

describe('exportName', () => {
  it('keeps an ordinary name, letters of every script included', () => {
    expect(named('Bottle caps 2024')).toBe('Bottle caps 2024-results.csv');
    expect(named('Ölflasche – Linie 3')).toBe('Ölflasche – Linie 3-results.csv');
    expect(named('検査ライン')).toBe('検査ライン-results.csv');
    expect(exportName(project('Fabric'), 'model', 'pixood')).toBe('Fabric-model.pixood');
  });

  it('leaves no folder separator, quote or character Windows refuses', () => {
    expect(named('../../evil"name')).toBe('evil_name-results.csv');
    expect(named('<img src=x onerror=window.__pwned=1>')).toBe('img src=x onerror=window.__pwned=1_-results.csv');
    expect(named("a\\b/c:d*e?f|g'h`i")).toBe('a_b_c_d_e_f_g_h_i-results.csv');
    expect(named('C:\\Windows\\System32')).toBe('C_Windows_System32-results.csv');
  });

  it('drops control and invisible formatting characters, a right-to-left override among them', () => {
    expect(named('line\none\ttab\u0000nul')).toBe('line one tab nul-results.csv');
    expect(named('report\u202Efdp.exe')).toBe('report fdp.exe-results.csv');
    expect(named('zero\u200Bwidth')).toBe('zero width-results.csv');
  });

  it('makes no hidden file, no trailing dot or space, no Windows device name', () => {
    expect(named('.hidden')).toBe('hidden-results.csv');
    expect(named('..')).toBe('project-results.csv');
    expect(named('name. . ')).toBe('name-results.csv');
    for (const device of ['CON', 'prn', 'Aux', 'nul', 'COM1', 'lpt9', 'con.txt']) expect(named(device), device).toBe(`_${device}-results.csv`);
    expect(named('Console')).toBe('Console-results.csv');
  });

  it('names a file even when nothing of the name is left', () => {
    for (const empty of ['', '   ', '///', '\u0007\u0008']) expect(named(empty), JSON.stringify(empty)).toBe('project-results.csv');
  });

  it('bounds the name at 120 UTF-8 bytes without splitting a character', () => {
    const long = named('x'.repeat(1000));
    expect(long).toBe(`${'x'.repeat(120)}-results.csv`);
    const wide = named('検'.repeat(100));
    expect(wide, '3 bytes each: 40 fit').toBe(`${'検'.repeat(40)}-results.csv`);
    const emoji = named('🧵'.repeat(100));
    expect(emoji).toBe(`${'🧵'.repeat(30)}-results.csv`);
    for (const name of [long, wide, emoji]) expect(utf8Bytes(name)).toBeLessThanOrEqual(255);
  });
});

describe('safeFileName', () => {
  it.each([
    ['good/0001.png', 'good_0001'],
    ['test\\scratch\\CON.png', 'test_scratch_CON'],
    ['CON.png', '_CON'],
    ['zkouška/vlákno.jpg', 'zkouška_vlákno'],
    ['../../etc/passwd', 'etc_passwd'],
    ['.png', 'image'],
  ])('%s becomes %s', (path, expected) => {
    expect(safeFileName(path), `safeFileName(${JSON.stringify(path)})`).toBe(expected);
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and leaves numbers and null as they are', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
  });

  it('keeps a text that a spreadsheet would run as a formula as text', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx'].map(csvField)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvField('=HYPERLINK("x", 1)')).toBe('"\'=HYPERLINK(""x"", 1)"');
  });
});
