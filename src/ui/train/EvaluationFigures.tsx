/**
 * A model's figures on the project's test images: a table over all images and per defect type,
 * the pixel ROC and PRO curves (when the test images had defects to draw them from), and the
 * figures as JSON or CSV files.
 */
import type { EvaluationFigures as Figures } from '../../core/metrics/evaluationReport';
import { evaluationCsv, evaluationFileName, evaluationJson, type EvaluationExport } from '../../state/export/evaluationExport';
import { saveBlob } from '../common/saveBlob';
import { count } from '../format';
import { CurveChart } from './CurveChart';
import './evaluation.css';

const AUPRO_FPR_LIMIT = 0.3;

const figure = (value: number) => (Number.isFinite(value) ? value.toFixed(4) : '—');

/** The table's columns: heading, what the figure is, and the data-figure name of the overall cell. */
const COLUMNS: readonly { heading: string; name: string; value: (f: Figures) => number }[] = [
  { heading: 'Image AUROC', name: 'image-auroc', value: (f) => f.imageAuroc },
  { heading: 'Pixel AUROC', name: 'pixel-auroc', value: (f) => f.pixelAuroc },
  { heading: 'AUPRO (to FPR 0.3)', name: 'aupro', value: (f) => f.aupro },
  { heading: 'Pixel AP', name: 'pixel-ap', value: (f) => f.ap },
  { heading: 'F1-max', name: 'f1-max', value: (f) => f.f1Max },
  { heading: 'FPR at 95% TPR', name: 'fpr-at-95-tpr', value: (f) => f.fprAt95Tpr },
];

export function EvaluationFigures({ project, model, evaluation }: EvaluationExport) {
  const exported: EvaluationExport = { project, model, evaluation };
  const { overall } = evaluation;
  const types = Object.entries(evaluation.perDefect);

  return (
    <div className="evaluation" role="group" aria-label="Test set figures">
      <p>
        On {count(overall.images, 'test image')} ({overall.defectImages} defective), {new Date(evaluation.evaluatedAt).toLocaleString()}:
      </p>
      {/* Focusable so that keyboard users can scroll it where the column is narrower than the table. */}
      <div className="evaluation-table-scroll" role="region" aria-label="Figures per defect type" tabIndex={0}>
        <table className="evaluation-table">
          <caption>Each defect type is scored together with all the good images.</caption>
          <thead>
            <tr>
              <th scope="col">Defect type</th>
              <th scope="col">Images</th>
              <th scope="col">Defective</th>
              {COLUMNS.map((c) => (
                <th key={c.name} scope="col">
                  {c.heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <FigureRow label="All images" figures={overall} overall />
            {types.map(([type, figures]) => (
              <FigureRow key={type} label={type} figures={figures} />
            ))}
          </tbody>
        </table>
      </div>
      {evaluation.roc.fpr.length === 0 ? (
        <p className="muted">These figures were kept before curves and per-defect figures were: inspect the test images again to see them.</p>
      ) : Number.isFinite(overall.pixelAuroc) ? (
        <div className="charts">
          <CurveChart
            title="Pixel ROC curve"
            description={`Pixel ROC curve over all test images: true-positive against false-positive rate; area ${figure(overall.pixelAuroc)}.`}
            curve={evaluation.roc}
            yLabel="True-positive rate"
            chance
          />
          <CurveChart
            title="PRO curve"
            description={`Per-region overlap against the pixel false-positive rate, counted up to FPR ${AUPRO_FPR_LIMIT} (marked); normalised area ${figure(overall.aupro)}.`}
            curve={evaluation.pro}
            yLabel="Per-region overlap"
            fprLimit={AUPRO_FPR_LIMIT}
          />
        </div>
      ) : (
        <p className="muted">The ROC and PRO curves need defective test images with their masks, besides good ones.</p>
      )}
      <div className="export-bar">
        <button type="button" onClick={() => saveBlob(new Blob([evaluationJson(exported)], { type: 'application/json' }), evaluationFileName(project, 'json'))}>
          Export figures (JSON)
        </button>
        <button type="button" onClick={() => saveBlob(new Blob([evaluationCsv(exported)], { type: 'text/csv' }), evaluationFileName(project, 'csv'))}>
          Export figures (CSV)
        </button>
      </div>
    </div>
  );
}

function FigureRow({ label, figures, overall = false }: { readonly label: string; readonly figures: Figures; readonly overall?: boolean }) {
  return (
    <tr className={overall ? 'overall' : undefined} data-defect={overall ? undefined : label}>
      <th scope="row">{label}</th>
      <td>{figures.images}</td>
      <td>{figures.defectImages}</td>
      {COLUMNS.map((c) => (
        <td key={c.name} data-figure={overall ? c.name : undefined}>
          {figure(c.value(figures))}
        </td>
      ))}
    </tr>
  );
}
