/** The project's trained models: the current one with its summary, figures and calibration picture; the others to switch to or delete. */
import { useId, useMemo, useState } from 'react';
import type { ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { navigate } from '../../state/navigation';
import { chooseModel, deleteModel, useProjects } from '../../state/projectsStore';
import { modelBundle } from '../../app/export/modelBundle';
import { failureMessage } from '../../state/failure';
import { trainingSeconds } from '../../state/trainingStore';
import { ConfirmButton } from '../common/ConfirmButton';
import { ErrorNote } from '../common/ErrorNote';
import { saveBlob } from '../common/saveBlob';
import { duration } from '../format';
import { CalibrationPicture } from './CalibrationPicture';
import { EvaluationFigures } from './EvaluationFigures';
import { ImageCalibrationPanel } from './ImageCalibrationPanel';
import { RegionsPanel } from './RegionsPanel';

export function ModelPanel() {
  const current = useProjects((s) => s.current);
  if (!current || current.models.length === 0) return null;
  const { project, models } = current;
  const active = models.find((m) => m.id === project.modelId);
  const others = models.filter((m) => m.id !== project.modelId);
  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      {active ? <ActiveModel record={active} project={project} /> : <p>No model is chosen: pick one below, or train.</p>}
      {others.length > 0 && (
        <>
          <h3>Earlier models</h3>
          <ul className="model-list">
            {others.map((m) => (
              <li key={m.id}>
                {new Date(m.model.createdAt).toLocaleString()} · {m.model.backbone.name} · K = {m.model.settings.etalons}
                <button type="button" onClick={() => void chooseModel(m.id)}>
                  Use this model
                </button>
                <ConfirmButton label={`Delete the model of ${new Date(m.model.createdAt).toLocaleString()}`} question="Delete this model and its results?" onConfirm={() => void deleteModel(m.id)}>
                  Delete
                </ConfirmButton>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ActiveModel({ record, project }: { readonly record: ModelRecord; readonly project: ProjectRecord }) {
  const { model } = record;
  const images = useProjects((s) => s.current?.images);
  // The regions are drawn on the first good training image by name: the same one every visit.
  const reference = useMemo(() => [...(images ?? [])].filter((i) => i.role === 'train' && !i.mask).sort((a, b) => a.name.localeCompare(b.name))[0] ?? null, [images]);
  const { summary } = model;
  return (
    <>
      <dl className="summary">
        <dt>Trained</dt>
        <dd>
          {new Date(model.createdAt).toLocaleString()}, on the {summary.path === 'gpu' ? 'GPU' : 'CPU'}, in {duration(trainingSeconds(summary))}
        </dd>
        <dt>Backbone</dt>
        <dd>{model.backbone.name}</dd>
        <dt>Per class</dt>
        <dd>
          {model.classes.map((name, c) => (
            <span key={c} className="per-class">
              {name}: {patchesUsed(summary.patchesPerClass[c], summary.patchesSeenPerClass?.[c])}, {summary.validEtalons[c]} of {model.settings.etalons} etalons valid
            </span>
          ))}
        </dd>
        <dt>Stages</dt>
        <dd>
          features {duration(summary.seconds.features)} · classifier {model.classifier ? duration(summary.seconds.classifier) : 'not needed'} · condensation {duration(summary.seconds.condensation)} · calibration{' '}
          {duration(summary.seconds.calibration)}
        </dd>
        {summary.skipped.length > 0 && (
          <>
            <dt>Left out</dt>
            <dd>
              <ul className="skipped">
                {summary.skipped.map((s) => (
                  <li key={s.name}>
                    <span className="path">{s.name}</span>: {s.reason}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <ImageCalibrationPanel record={record} project={project} />
      <RegionsPanel key={record.id} record={record} reference={reference} />
      {record.evaluation && <EvaluationFigures project={project} model={record} evaluation={record.evaluation} />}
      <CalibrationPicture calibration={model.calibration} classes={model.classes} />
      <div className="model-actions">
        <button type="button" className="primary" onClick={() => navigate({ screen: 'inspect', projectId: project.id })}>
          Inspect images
        </button>
        <ExportBundle record={record} project={project} />
        <ConfirmButton question="Delete the current model and its results?" onConfirm={() => void deleteModel(record.id)}>
          Delete model
        </ConfirmButton>
      </div>
    </>
  );
}

function ExportBundle({ record, project }: { readonly record: ModelRecord; readonly project: ProjectRecord }) {
  const checkboxId = useId();
  const [includeBackbone, setIncludeBackbone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exportModel = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, fileName } = await modelBundle(project, record, { includeBackbone });
      saveBlob(blob, fileName);
    } catch (e) {
      setError(`The model could not be exported: ${failureMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void exportModel()} disabled={busy}>
        Export model (.pixood)
      </button>
      <span className="export-option">
        <input id={checkboxId} type="checkbox" checked={includeBackbone} onChange={(e) => setIncludeBackbone(e.target.checked)} />{' '}
        <label htmlFor={checkboxId}>Include the backbone (for machines without it)</label>
      </span>
      <ErrorNote message={error} onDismiss={() => setError(null)} />
    </>
  );
}

/** "12,345 patches", or with the training-memory bound in effect "using 200,000 of 1.2 M patches". */
function patchesUsed(used: number, seen: number | undefined): string {
  if (seen === undefined || seen <= used) return `${used} patches`;
  const total = seen >= 1e6 ? `${(seen / 1e6).toFixed(1)} M` : seen.toLocaleString('en');
  return `using ${used.toLocaleString('en')} of ${total} patches (a uniform sample: training memory is bounded)`;
}
