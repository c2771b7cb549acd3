/**
 * Names a new project and picks its backbone: DINOv2 (the paper's) first, with its one-time
 * download, or the built-in one that works offline at once. Offline, the built-in one is chosen
 * and the form says why.
 */
import { useEffect, useState } from 'react';
import { useAppStatus } from '../../state/appStatus';
import { loadBackbones } from '../../app/backbones/backboneLibrary';
import { storedFromPreset, useBackbones } from '../../state/backbonesStore';
import { navigate } from '../../state/navigation';
import { createWithBackbone, DEFAULT_DINOV2, dinov2Variant, hardwareGpuHere, type BackboneChoice } from '../../app/projects/newProject';
import { bytes } from '../format';
import { ErrorNote } from '../common/ErrorNote';

export function NewProjectForm({ id, onCancel }: { readonly id: string; readonly onCancel: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dinov2Stored = useBackbones((s) => storedFromPreset(s.models, DEFAULT_DINOV2) !== undefined);
  const online = useAppStatus((s) => s.online);
  const preset = useBackbones((s) => s.presets?.find((p) => p.id === DEFAULT_DINOV2));
  const [hardwareGpu, setHardwareGpu] = useState<boolean | null>(null);
  useEffect(() => {
    void hardwareGpuHere().then(setHardwareGpu);
    // The start screen may be the first to need the presets and the stored models.
    if (!useBackbones.getState().presets) void loadBackbones();
  }, []);
  const variant = preset && hardwareGpu !== null ? dinov2Variant(preset, hardwareGpu) : null;
  const download = variant?.approxBytes ? `a one-time download of about ${bytes(variant.approxBytes)} (${variant.precision})` : 'a one-time download';
  const [choice, setChoice] = useState<BackboneChoice>(online || dinov2Stored ? 'dinov2' : 'builtin');

  const submit = async () => {
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the project a name.');
      return;
    }
    setBusy(true);
    const project = await createWithBackbone(trimmed, choice);
    if (!project) {
      setError(useBackbones.getState().error ?? 'The built-in backbone could not be loaded.');
      setBusy(false);
      return;
    }
    navigate({ screen: 'project', projectId: project.id });
  };

  return (
    <form
      id={id}
      className="panel new-project"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        Project name{' '}
        <input value={name} autoFocus maxLength={200} onChange={(event) => setName(event.currentTarget.value)} placeholder="e.g. Line 3 — bottle caps" />
      </label>
      <fieldset className="backbone-choice">
        <legend>Backbone</legend>
        <label>
          <input type="radio" name="new-backbone" value="dinov2" checked={choice === 'dinov2'} onChange={() => setChoice('dinov2')} /> DINOv2 ViT-S/14 with registers
          (recommended: the paper&apos;s backbone){' '}
          <span className="muted">
            {dinov2Stored ? '· already in this browser' : online ? `· ${download}, then offline` : '· needs a connection: you are offline'}
          </span>
        </label>
        <label>
          <input type="radio" name="new-backbone" value="builtin" checked={choice === 'builtin'} onChange={() => setChoice('builtin')} /> Built-in texture features{' '}
          <span className="muted">· no download, works offline now; finds larger defects, misses many small or subtle ones</span>
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={busy}>
        Create
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
