/** Everything inspected with the current model: a sortable table, the test-set figures, and the exports. */
import { Fragment } from 'react';
import { relativeSeverity } from '../../core/results/imageVerdict';
import { judgeWithin } from '../../core/roi/judgeWithin';
import { isWholeImage, type RegionSpec } from '../../core/roi/regionSpec';
import type { ImageCalibration } from '../../engine/api';
import type { ResultRecord } from '../../storage/projectRecords';
import { exportName, heatmapsZip, resultsCsv, resultsJson } from '../../state/export/resultsTable';
import { clearResults } from '../../app/inspection/inspectionWorkflow';
import { select, sortBy, useInspection, type SortKey } from '../../state/inspectionStore';
import { useProjects } from '../../state/projectsStore';
import { ConfirmButton } from '../common/ConfirmButton';
import { saveBlob } from '../common/saveBlob';
import { count, percent } from '../format';
import { EvaluationFigures } from '../train/EvaluationFigures';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Image' },
  { key: 'severity', label: 'Severity (× limit)' },
  { key: 'verdict', label: 'Verdict' },
  { key: 'inspectedAt', label: 'Inspected' },
];

function compare(key: SortKey): (a: ResultRecord, b: ResultRecord) => number {
  switch (key) {
    case 'name':
      return (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true });
    case 'severity':
      return (a, b) => orderable(a.severity) - orderable(b.severity);
    case 'verdict':
      return (a, b) => a.verdict.localeCompare(b.verdict) || orderable(a.severity) - orderable(b.severity);
    case 'inspectedAt':
      return (a, b) => a.inspectedAt.localeCompare(b.inspectedAt);
  }
}

/** Results kept before severities existed (NaN) sort below every other. */
/** The severity as a multiple of the limit, within the model's regions of interest where it has some. */
function severityShown(result: ResultRecord, regions: RegionSpec | undefined, calibration: ImageCalibration | null): string {
  const judged = judgeWithin(regions, result, calibration);
  if (!judged.ok || !judged.calibration || result.threshold === null || !Number.isFinite(judged.severity)) return '—';
  return `${relativeSeverity(judged.severity, judged.calibration, result.threshold).toFixed(2)}×`;
}

const orderable = (severity: number) => (Number.isNaN(severity) ? -Infinity : severity);

/** Selects a result and brings the viewer, which now shows it, into view (below the table on a narrow screen, or scrolled away). */
function showResult(id: string): void {
  select(id);
  document.querySelector('.viewer-panel')?.scrollIntoView({ block: 'nearest' });
}

/** A path with a line-break opportunity after each folder, so a long one wraps between folders. */
function PathText({ path }: { readonly path: string }) {
  const parts = path.split('/');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          /<wbr />
        </>
      )}
    </Fragment>
  ));
}

export function ResultsPanel() {
  const results = useInspection((s) => s.results);
  const selectedId = useInspection((s) => s.selectedId);
  const sort = useInspection((s) => s.sort);
  const current = useProjects((s) => s.current);
  if (!current) return null;
  const model = current.models.find((m) => m.id === current.project.modelId);
  const images = new Map(current.images.map((i) => [i.id, i]));
  const hasTruth = results.some((r) => r.imageId);
  const sorted = [...results].sort(compare(sort.key));
  if (sort.descending) sorted.reverse();
  const context = { project: current.project, model, images: current.images, results: sorted };
  const fails = results.filter((r) => r.verdict === 'fail').length;
  const passes = results.filter((r) => r.verdict === 'pass').length;
  const unsure = results.filter((r) => r.unsure).length;
  const uncalibrated = results.length - fails - passes;
  const calibration = model?.model.imageCalibration ?? null;

  return (
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {model?.evaluation && <EvaluationFigures project={current.project} model={model} evaluation={model.evaluation} />}
      <p>
        {count(results.length, 'image')} inspected · {fails} fail · {passes} pass{unsure > 0 && ` (${unsure} unsure: the model is weak)`}
        {uncalibrated > 0 && ` · ${uncalibrated} without a verdict`}
        {model && (current.project.byCatch ? ` · at the threshold set to catch ${percent(current.project.byCatch.rate)} of the labelled defects` : ` · at α = ${percent(current.project.alpha)}`)}
      </p>
      {model?.model.regions && !isWholeImage(model.model.regions) && (
        <p data-figure="regions">
          Judged within the model&apos;s regions of interest ({count(model.model.regions.regions.length, 'region')}, an ignore margin of {model.model.regions.marginPx} px; set on the Train
          screen): nothing outside them is coloured, outlined or counted.
        </p>
      )}
      <p className="muted">
        Severity: how unlike the good parts the worst spot is, as a multiple of the good parts&apos; limit at α (0: a typical good part; from 1 on: fails). Nats and pixel scores
        are in each verdict&apos;s details and in the exports.
      </p>
      <div className="export-bar">
        <button type="button" disabled={results.length === 0} onClick={() => saveBlob(resultsCsv(context), exportName(current.project, 'results', 'csv'))}>
          Export CSV
        </button>
        <button type="button" disabled={results.length === 0} onClick={() => saveBlob(resultsJson(context), exportName(current.project, 'results', 'json'))}>
          Export JSON
        </button>
        <button type="button" disabled={results.length === 0} onClick={() => void heatmapsZip(sorted).then((zip) => saveBlob(zip, exportName(current.project, 'heatmaps', 'zip')))}>
          Heatmaps (PNG, zip)
        </button>
        {results.length > 0 && (
          <ConfirmButton question="Forget these results?" onConfirm={() => void clearResults()}>
            Clear
          </ConfirmButton>
        )}
      </div>
      {results.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Inspected images">
          <table className="results">
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column.key} scope="col" aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                    <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                      {column.label}
                      <span aria-hidden="true">{sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  </th>
                ))}
                {hasTruth && <th scope="col">Truth</th>}
              </tr>
            </thead>
            <tbody>
              {sorted.map((result) => (
                <tr key={result.id} className={result.id === selectedId ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link row-select" onClick={() => showResult(result.id)} aria-current={result.id === selectedId ? 'true' : undefined}>
                      <PathText path={result.name} />
                    </button>
                  </td>
                  <td className="number" title={result.details}>
                    {severityShown(result, model?.model.regions, calibration)}
                  </td>
                  <td>
                    <span className={`badge ${result.unsure ? 'unsure' : result.verdict}`} title={result.reason}>
                      {result.verdict === 'uncalibrated' ? 'no verdict' : result.unsure ? `${result.verdict}?` : result.verdict}
                    </span>
                  </td>
                  <td>{new Date(result.inspectedAt).toLocaleTimeString()}</td>
                  {hasTruth && <td>{(result.imageId && images.get(result.imageId)?.defectType) || '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
