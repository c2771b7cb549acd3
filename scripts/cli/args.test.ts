import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALPHA, DEFAULT_EPSILON, DEFAULT_SETTINGS } from '../../src/state/settings';
import { CliError, EVAL_USAGE, EXIT, INSPECT_USAGE, parseDemoWriteArgs, parseEvalArgs, parseInspectArgs, parseSuiteArgs } from './args';

function usageError(parse: () => unknown): CliError {
  try {
    parse();
  } catch (error) {
    expect(error, 'a CliError').toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a usage error, the arguments were accepted');
}

describe('eval arguments', () => {
  it('fills the defaults from the app’s settings', () => {
    const parsed = parseEvalArgs(['--data', 'd']);
    expect(parsed).toEqual({
      help: false,
      options: {
        data: 'd',
        backbone: 'builtin',
        size: DEFAULT_SETTINGS.longestSide,
        etalons: DEFAULT_SETTINGS.etalons,
        epochs: DEFAULT_SETTINGS.condensationEpochs,
        upsample: DEFAULT_SETTINGS.upsample,
        seed: DEFAULT_SETTINGS.seed,
        areas: DEFAULT_SETTINGS.areaPatches,
        resolution: 'model',
        joint: false,
        path: 'auto',
        out: null,
        bundleOut: null,
        threshold: { alpha: DEFAULT_ALPHA },
        tune: null,
        roi: null,
      },
    });
  });

  it('reads every option, as --flag value and as --flag=value', () => {
    const parsed = parseEvalArgs(['--data=d', '--backbone', 'm.onnx', '--size', '336', '--k=50', '--epochs', '3', '--upsample', '1', '--seed', '7', '--areas', '0', '--native', '--joint', '--path', 'wasm', '--out', 'r.json', '--bundle-out', 'm.pixood', '--alpha', '0.05', '--roi', 'regions.json']);
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.options).toEqual({
      data: 'd',
      backbone: { file: 'm.onnx' },
      size: 336,
      etalons: 50,
      epochs: 3,
      upsample: 1,
      seed: 7,
      areas: 0,
      resolution: 'native',
      joint: true,
      path: 'wasm',
      out: 'r.json',
      bundleOut: 'm.pixood',
      threshold: { alpha: 0.05 },
      tune: null,
      roi: 'regions.json',
    });
    const tuned = parseEvalArgs(['--data', 'd', '--tune', '--tune-budget', '120']);
    expect(!tuned.help && tuned.options.tune).toEqual({ budgetSeconds: 120 });
    const byCatch = parseEvalArgs(['--data', 'd', '--catch', '0.9']);
    expect(!byCatch.help && byCatch.options.threshold).toEqual({ catchRate: 0.9 });
  });

  it('answers --help with the usage alone', () => {
    expect(parseEvalArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--data', 'd', '--frobnicate'], 'Unknown option --frobnicate.'],
    [['--data', 'd', '--catch', '0.9', '--alpha', '0.01'], '--alpha and --catch each set the threshold: give one of them.'],
    [['--data', 'd', '--tune-budget', '60'], '--tune-budget sets the time of --tune: add --tune.'],
    [['--data', 'd', '--catch', '1.5'], '--catch must be a share of the defective images, 0 < R ≤ 1, not “1.5”.'],
    [['--data', 'd', '--roi', 'regions.txt'], '--roi names a .json file of regions, not “regions.txt”.'],
    [['--data'], '--data needs a value.'],
    [['--data', '--joint'], '--data needs a value.'],
    [['--data='], '--data needs a value.'],
    [[], '--data is required.'],
    [['--data', 'd', '--size', '300'], '--size must be a multiple of 14 (whole patches), not 300: try 294.'],
    [['--data', 'd', '--size', '2.5e2'], '--size must be a whole number from 14 to 1792, not “2.5e2”.'],
    [['--data', 'd', '--k', '2'], '--k must be a whole number from 4 to 2000, not “2”.'],
    [['--data', 'd', '--epochs', '0'], '--epochs must be a whole number from 1 to 500, not “0”.'],
    [['--data', 'd', '--backbone', 'model.bin'], '--backbone takes “builtin” or an .onnx file, not “model.bin”.'],
    [['--data', 'd', '--path', 'gpu'], '--path takes auto, webgpu or wasm, not “gpu”.'],
    [['--data', 'd', '--out', 'r.txt'], '--out names a .json file, not “r.txt”.'],
    [['--data', 'd', '--joint=yes'], '--joint takes no value.'],
    [['--data', 'd', '--data', 'e'], '--data is given twice.'],
    [['--data', 'd', 'extra'], 'Unexpected argument “extra”: every value follows its --option.'],
  ])('refuses %j: %s', (argv, message) => {
    const error = usageError(() => parseEvalArgs(argv));
    expect(error.code).toBe(EXIT.usage);
    expect(error.message).toBe(message);
  });
});

describe('inspect arguments', () => {
  it('needs the bundle, the images and the output folder; ε defaults to the app’s', () => {
    expect(parseInspectArgs(['--bundle', 'm.pixood', '--images', 'i', '--out', 'o'])).toEqual({
      help: false,
      options: { bundle: 'm.pixood', images: 'i', out: 'o', epsilon: DEFAULT_EPSILON, alpha: null, backbone: null, resolution: 'model', path: 'auto', roi: null },
    });
    const withRegions = parseInspectArgs(['--bundle', 'm.pixood', '--images', 'i', '--out', 'o', '--roi', 'r.json']);
    expect(!withRegions.help && withRegions.options.roi).toBe('r.json');
    expect(usageError(() => parseInspectArgs(['--bundle', 'm.pixood', '--images', 'i'])).message).toBe('--out is required.');
  });

  it.each(['0', '1', '-0.1', 'abc', ' '])('refuses ε %j', (epsilon) => {
    const error = usageError(() => parseInspectArgs(['--bundle', 'b', '--images', 'i', '--out', 'o', '--epsilon', epsilon]));
    expect(error.message).toMatch(/^--epsilon must be a number between 0 and 1/);
  });

  it('takes the built-in backbone or an .onnx file', () => {
    const parsed = parseInspectArgs(['--bundle', 'b', '--images', 'i', '--out', 'o', '--backbone', 'builtin', '--epsilon', '0.05', '--native']);
    expect(parsed.help === false && parsed.options.backbone).toBe('builtin');
    expect(parsed.help === false && parsed.options.resolution).toBe('native');
    expect(parsed.help === false && parsed.options.epsilon).toBe(0.05);
  });
});

describe('demo:write arguments', () => {
  it('takes exactly one folder', () => {
    expect(parseDemoWriteArgs(['out'])).toEqual({ help: false, options: { dir: 'out' } });
    expect(usageError(() => parseDemoWriteArgs([])).message).toBe('Name the folder to write the demo into.');
    expect(usageError(() => parseDemoWriteArgs(['a', 'b'])).message).toBe('Name one folder only.');
    expect(usageError(() => parseDemoWriteArgs(['--to', 'a'])).message).toBe('Unknown option --to.');
  });
});

describe('the commands’ exit codes (run as npm runs them, before any browser starts)', () => {
  const run = (script: string, args: readonly string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', `scripts/cli/${script}`, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('--help: the usage on stdout, exit 0', () => {
    const { code, stdout, stderr } = run('eval.ts', ['--help']);
    expect(code, stderr).toBe(EXIT.ok);
    expect(stdout).toBe(EVAL_USAGE);
  });

  it('a bad argument: the message and the usage on stderr, nothing on stdout, exit 2', () => {
    const { code, stdout, stderr } = run('inspect.ts', ['--bundle', 'b', '--images', 'i', '--out', 'o', '--epsilon', '2']);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toBe(`--epsilon must be a number between 0 and 1, not “2”.\n\n${INSPECT_USAGE}`);
  });

  it('bad data: exit 3 with a message naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixood-cli-'));
    expect(run('eval.ts', ['--data', join(dir, 'missing')])).toMatchObject({ code: EXIT.data, stdout: '', stderr: `${join(dir, 'missing')}: no such folder.\n` });

    mkdirSync(join(dir, 'train', 'good'), { recursive: true });
    expect(run('eval.ts', ['--data', dir]).stderr).toBe(`${join(dir, 'train', 'good')}: no images in it.\n`);

    mkdirSync(join(dir, 'test', 'good'), { recursive: true });
    writeFileSync(join(dir, 'train', 'good', '000.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    writeFileSync(join(dir, 'test', 'good', '000.png'), new Uint8Array(0));
    const damaged = run('eval.ts', ['--data', dir]);
    expect(damaged.code).toBe(EXIT.data);
    expect(damaged.stderr).toMatch(new RegExp(`^${join(dir, 'train', 'good', '000.png').replace(/[.]/g, '\\.')}: `));

    expect(run('inspect.ts', ['--bundle', join(dir, 'none.pixood'), '--images', dir, '--out', join(dir, 'out')])).toMatchObject({ code: EXIT.data, stderr: `${join(dir, 'none.pixood')}: no such file.\n` });
  });

  it('inspect with OUT the images folder: earlier heatmaps left out, the other images taken; an OUT that cannot be written: exit 3 naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixood-cli-'));
    // No image is readable, so the command ends before the browser and never reads the bundle.
    const bundle = join(dir, 'model.pixood');
    writeFileSync(bundle, '');
    const images = join(dir, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'a.png'), new Uint8Array(0));
    writeFileSync(join(images, 'a.heatmap.png'), new Uint8Array(0));
    const same = run('inspect.ts', ['--bundle', bundle, '--images', images, '--out', images]);
    expect(same.code, same.stderr).toBe(EXIT.data);
    const names = readFileSync(join(images, 'results.csv'), 'utf8').split('\r\n').map((line) => line.split(',')[0]);
    expect(names, 'results.csv names a.png only').toEqual(['name', 'a.png', '']);

    const blocked = join(bundle, 'out');
    const unwritable = run('inspect.ts', ['--bundle', bundle, '--images', images, '--out', blocked]);
    expect(unwritable.code, unwritable.stderr).toBe(EXIT.data);
    expect(unwritable.stderr).toContain(`\n${blocked}: cannot be written (`);
    expect(unwritable.stderr, 'no stack').not.toContain('    at ');
  });
});

describe('eval:suite arguments', () => {
  it('takes the suite folder, a list of backbones and eval’s training options', () => {
    const parsed = parseSuiteArgs(['--suite', 'sets', '--backbone', 'builtin, old.onnx', '--k', '50', '--areas', '3', '--out', 'r.json']);
    expect(parsed).toEqual({
      help: false,
      options: {
        suite: 'sets',
        backbones: ['builtin', { file: 'old.onnx' }],
        size: DEFAULT_SETTINGS.longestSide,
        etalons: 50,
        epochs: DEFAULT_SETTINGS.condensationEpochs,
        upsample: DEFAULT_SETTINGS.upsample,
        seed: DEFAULT_SETTINGS.seed,
        areas: 3,
        resolution: 'model',
        path: 'auto',
        out: 'r.json',
      },
    });
  });

  it('refuses what eval alone takes, and a backbone that is not an ONNX file', () => {
    expect(usageError(() => parseSuiteArgs(['--suite', 's', '--joint'])).message).toBe('Unknown option --joint.');
    expect(usageError(() => parseSuiteArgs(['--suite', 's', '--backbone', 'model.pt'])).message).toContain('model.pt');
    expect(usageError(() => parseSuiteArgs([])).message).toBe('--suite is required.');
  });
});
