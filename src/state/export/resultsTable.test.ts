import { describe, expect, it } from 'vitest';
import type { ModelRecord, ProjectRecord, ResultRecord } from '../../storage/projectRecords';
import { csvField, exportName, resultsCsv, resultsJson, safeFileName } from './resultsTable';

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

describe('results CSV and JSON', () => {
  // A 4×4 map of a 40×40 image: a 3-pixel region at the top left and a 1-pixel one at the bottom right.
  const result: ResultRecord = {
    id: 'r1',
    projectId: 'p1',
    modelId: 'm1',
    name: 'test/hole/000.png',
    imageId: 'i1',
    imageScore: 0.9995,
    severity: 9.5,
    epsilon: 0.01,
    alpha: 0.01,
    threshold: 9.1,
    verdict: 'fail',
    reason: 'FAIL',
    preview: new Blob([]),
    heatmap: new Blob([]),
    maps: { width: 4, height: 4, score: Float32Array.of(0.999, 0.999, 0, 0, 0.999, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9995), predicted: new Int32Array(16), distance: new Float32Array(16) },
    imageWidth: 40,
    imageHeight: 40,
    seconds: 0.5,
    inspectedAt: '2026-12-05T10:00:00.000Z',
  };
  const model = { id: 'm1', projectId: 'p1', model: { backbone: { name: 'built-in filters' }, createdAt: '2026-12-04T09:00:00.000Z' } } as unknown as ModelRecord;
  const context = {
    project: project('Caps'),
    model,
    images: [{ id: 'i1', defectType: 'hole' }] as never,
    results: [result, { ...result, id: 'r2', name: 'line/7.png', imageId: null, maps: { ...result.maps, score: new Float32Array(16) } }],
  };

  it('gives what ε flags (share, regions, largest in image pixels), the truth where known, and the model that decided', async () => {
    const [header, hole, plain] = (await resultsCsv(context).text()).trim().split('\r\n').map((line) => line.split(','));
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    expect(column(hole, 'flagged_share'), '4 of 16 map pixels').toBe('0.25');
    expect(column(hole, 'region_count')).toBe('2');
    expect(column(hole, 'largest_region_px'), '3 map pixels of 10×10 image pixels').toBe('300');
    expect(column(hole, 'defect_type')).toBe('hole');
    expect(column(hole, 'image_threshold')).toBe('9.1');
    expect(column(hole, 'backbone')).toBe('built-in filters');
    expect(column(hole, 'model_trained_at')).toBe('2026-12-04T09:00:00.000Z');
    expect([column(plain, 'flagged_share'), column(plain, 'region_count'), column(plain, 'largest_region_px'), column(plain, 'defect_type')]).toEqual(['0', '0', '0', '']);
  });

  it('carries the same columns in the JSON (here without a model, whose columns are then empty)', async () => {
    const document = JSON.parse(await resultsJson({ ...context, model: undefined }).text()) as { results: Record<string, unknown>[] };
    expect(document.results[0]).toMatchObject({ flagged_share: 0.25, region_count: 2, largest_region_px: 300, defect_type: 'hole', backbone: '', image_threshold: 9.1 });
  });
});
