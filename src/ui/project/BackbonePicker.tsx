/**
 * The backbone that turns images into features: one of the models stored in this browser
 * (the built-in one is always there), a DINOv2 preset downloaded on demand, or an ONNX file.
 */
import { useEffect } from 'react';
import type { StoredModel } from '../../engine/api';
import { cancelTransfer, deleteBackbone, ensureBuiltin } from '../../app/backbones/backboneLibrary';
import { dismissBackboneError, useBackbones } from '../../state/backbonesStore';
import { dismissBackboneNote, useNewProject } from '../../state/newProjectStore';
import { setBackbone, useProjects } from '../../state/projectsStore';
import { ErrorNote } from '../common/ErrorNote';
import { bytes } from '../format';
import { AddBackbone } from './AddBackbone';
import { ExecutionPathSetting } from './ExecutionPathSetting';
import { TransferProgress } from './TransferProgress';

export function BackbonePicker() {
  const project = useProjects((s) => s.current?.project);
  const currentModel = useProjects((s) => s.current?.models.find((m) => m.id === s.current?.project.modelId));
  const models = useBackbones((s) => s.models);
  const transfer = useBackbones((s) => s.transfer);
  const error = useBackbones((s) => s.error);
  const note = useNewProject((s) => s.note);

  useEffect(() => {
    void ensureBuiltin();
  }, []);

  if (!project) return null;
  const chosen = models?.find((m) => m.id === project.backboneId);
  const mismatch = currentModel && currentModel.model.backbone.id !== project.backboneId;

  return (
    <section className="panel" aria-labelledby="backbone-heading">
      <h2 id="backbone-heading">Backbone</h2>
      {note && note.projectId === project.id && (
        <div className={note.kind === 'fell-back' ? 'weak-model' : 'notice'} role="status" data-testid="backbone-note">
          <p>{note.text}</p>
          {note.kind !== 'downloading' && (
            <button type="button" className="link" onClick={dismissBackboneNote}>
              Dismiss
            </button>
          )}
        </div>
      )}
      <p className="muted">What turns each image into features. The built-in one is small, fast and offline: on real parts it finds larger defects (image AUROC 0.95 on MVTec AD bottles) but misses many small ones (pits of a few pixels: 0.84). When you are online and the part is an object rather than a texture, choose DINOv2, the paper's backbone.</p>
      {models === null ? (
        <p>Loading the models…</p>
      ) : (
        <fieldset>
          <legend>Models in this browser</legend>
          {models.map((model) => (
            <BackboneOption key={model.id} model={model} checked={model.id === project.backboneId} onChoose={() => void setBackbone(model.id, model.name)} />
          ))}
        </fieldset>
      )}
      {chosen && <ExecutionPathSetting modelId={chosen.id} />}
      {models !== null && !chosen && (
        <p className="warning">The project's backbone “{project.backboneName}” (SHA-256 {project.backboneId.slice(0, 12)}…) is not stored in this browser: add its .onnx file below, or choose another backbone and train again.</p>
      )}
      {mismatch && <p className="warning">The current model was trained with {currentModel.model.backbone.name}: train again to use this backbone.</p>}
      {transfer && <TransferProgress transfer={transfer} onCancel={cancelTransfer} />}
      <ErrorNote message={error} onDismiss={dismissBackboneError} />
      <AddBackbone onAdded={(model) => void setBackbone(model.id, model.name)} />
    </section>
  );
}

function BackboneOption({ model, checked, onChoose }: { readonly model: StoredModel; readonly checked: boolean; readonly onChoose: () => void }) {
  const builtin = model.source.kind === 'preset' && model.source.presetId === 'builtin';
  return (
    <div className="backbone-option">
      <label>
        <input type="radio" name="backbone" checked={checked} onChange={onChoose} /> {model.name}
      </label>
      <span className="muted">
        {' '}
        {model.contract.featureDim} features per 14-px patch · {bytes(model.byteLength)}
        {model.source.kind === 'file' ? ` · from ${model.source.fileName}` : ''}
      </span>
      {!builtin && !checked && (
        <button type="button" className="link" aria-label={`Remove ${model.name} from this browser`} onClick={() => void deleteBackbone(model.id)}>
          Remove
        </button>
      )}
    </div>
  );
}
