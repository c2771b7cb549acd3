/**
 * What `eval:suite` prints: a Markdown table of the runs (one per dataset and backbone) with
 * their figures, the QC rates at the default α beside the capability check's prediction of the
 * defects passed (the share of its plants missed), and times; one `realdata:` line per run.
 */
import type { EvalJson } from './evalReport';

export interface SuiteRun {
  readonly dataset: string;
  readonly report: EvalJson;
}

const figure = (value: number | null): string => (value === null ? '–' : value.toFixed(3));
/** QC rates at the default α, in percent. */
const share = (value: number | null): string => (value === null ? '–' : `${(100 * value).toFixed(1)}%`);

function settingsText({ settings, resolution }: EvalJson): string {
  return `${settings.longestSide} px${resolution === 'native' ? ' (tests native)' : ''}, K ${settings.etalons}, ${settings.condensationEpochs} ep, ×${settings.upsample}${settings.areaPatches ? `, areas ${settings.areaPatches}` : ''}`;
}

const trainingSeconds = ({ timings_s: t }: EvalJson): number => t.backbone + t.features + t.classifier + t.condensation + t.calibration;

export function suiteTable(runs: readonly SuiteRun[]): string {
  const head = ['dataset', 'backbone', 'settings', 'image AUROC', 'pixel AUROC', 'AUPRO 0.3', 'pixel AP', 'good rejected', 'defects passed', 'plants missed (check)', 'training s', 'inspection s'];
  const rows = runs.map(({ dataset, report }) => [
    dataset,
    report.backbone.name,
    settingsText(report),
    figure(report.image_auroc),
    figure(report.pixel_auroc),
    figure(report.aupro_0_3),
    figure(report.pixel_ap),
    share(report.good_reject_rate),
    share(report.defect_escape_rate),
    share(report.capability?.escape_rate ?? null),
    trainingSeconds(report).toFixed(0),
    report.timings_s.inspect.toFixed(0),
  ]);
  for (const backbone of new Set(runs.map((r) => r.report.backbone.name))) {
    const mine = runs.filter((r) => r.report.backbone.name === backbone).map((r) => r.report);
    if (mine.length < 2) continue;
    const mean = (key: 'image_auroc' | 'pixel_auroc' | 'aupro_0_3' | 'pixel_ap') => {
      const values = mine.map((r) => r[key]);
      return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    };
    rows.push(['**mean**', backbone, settingsText(mine[0]), figure(mean('image_auroc')), figure(mean('pixel_auroc')), figure(mean('aupro_0_3')), figure(mean('pixel_ap')), '', '', '', '', '']);
  }
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i < 3 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** `realdata: name=… backbone=… image_auroc=… pixel_auroc=… aupro_0_3=…`, names without spaces. */
export function realdataLine({ dataset, report }: SuiteRun): string {
  const word = (text: string) => text.replace(/\s+/g, '_');
  return `realdata: name=${word(dataset)} backbone=${word(report.backbone.name)} image_auroc=${figure(report.image_auroc)} pixel_auroc=${figure(report.pixel_auroc)} aupro_0_3=${figure(report.aupro_0_3)}`;
}
