/** Training settings with sane defaults, each with one line on what it does. */
import { useState, type ReactNode } from 'react';
import type { TrainingSettings } from '../../engine/api';
import { setEpsilon } from '../../app/inspection/inspectionWorkflow';
import { setSettings, useProjects } from '../../state/projectsStore';
import { DEFAULT_SETTINGS, EPSILON_PRESETS, QUICK_SETTINGS, THOROUGH_SETTINGS, INPUT_SIZES, MAX_EPOCHS, MAX_ETALONS, MIN_ETALONS, UPSAMPLE_FACTORS } from '../../state/settings';
import { useTraining } from '../../state/trainingStore';
import { RateSelect } from '../common/RateSelect';

export function SettingsForm() {
  const project = useProjects((s) => s.current?.project);
  const running = useTraining((s) => s.status === 'running' || s.status === 'cancelling');
  if (!project) return null;
  const { settings } = project;
  const change = (part: Partial<TrainingSettings>) => void setSettings({ ...settings, ...part });
  const oneClass = project.classes.length <= 1;

  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <fieldset disabled={running} className="settings">
        <Setting id="longest-side" label="Input size" explanation="Images are resized so their longer side is this many pixels: larger finds smaller defects, and trains slower.">
          <select id="longest-side" aria-describedby="longest-side-help" value={settings.longestSide} onChange={(e) => change({ longestSide: Number(e.currentTarget.value) })}>
            {INPUT_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} px
              </option>
            ))}
          </select>
        </Setting>
        <Setting id="etalons" label="Etalons per class (K)" explanation="How many prototypes summarise each class's normal patches: more capture more variety.">
          <NumberField id="etalons" value={settings.etalons} min={MIN_ETALONS} max={MAX_ETALONS} onCommit={(etalons) => change({ etalons })} />
        </Setting>
        <Setting id="condensation-epochs" label="Condensation epochs" explanation="Passes over the features while the etalons settle, from soft to hard assignment.">
          <NumberField id="condensation-epochs" value={settings.condensationEpochs} min={1} max={MAX_EPOCHS} onCommit={(condensationEpochs) => change({ condensationEpochs })} />
        </Setting>
        <Setting
          id="classifier-epochs"
          label="Classifier epochs"
          explanation={oneClass ? 'Not used with one class: there is nothing to tell apart.' : 'Passes while the classifier learns to tell the classes apart.'}
        >
          <NumberField id="classifier-epochs" value={settings.classifierEpochs} min={1} max={MAX_EPOCHS} disabled={oneClass} onCommit={(classifierEpochs) => change({ classifierEpochs })} />
        </Setting>
        <Setting id="upsample" label="Feature up-sampling" explanation="A finer search for each image's worst spot, for more time; the paper uses ×7. The heatmap is drawn from the backbone's own patches either way.">
          <select id="upsample" aria-describedby="upsample-help" value={settings.upsample} onChange={(e) => change({ upsample: Number(e.currentTarget.value) })}>
            {UPSAMPLE_FACTORS.map((f) => (
              <option key={f} value={f}>
                ×{f}
              </option>
            ))}
          </select>
        </Setting>
        <Setting
          id="area-patches"
          label="Judge each image by"
          explanation="Its worst spot, or also its worst wide area: a stretch of surface a little unlike the good parts, as wear is. Areas catch many more real defects, and also a whole image taken unlike the good ones (other light, another camera or compression): train on images taken as the inspected ones are."
        >
          <select id="area-patches" aria-describedby="area-patches-help" value={settings.areaPatches ?? 0} onChange={(e) => change({ areaPatches: Number(e.currentTarget.value) })}>
            <option value={0}>Its worst spot</option>
            <option value={DEFAULT_SETTINGS.areaPatches}>Its worst spot or wide area</option>
          </select>
        </Setting>
        <Setting id="seed" label="Seed" explanation="The same images, settings and seed give the same model.">
          <NumberField id="seed" value={settings.seed} min={0} max={2 ** 31 - 1} onCommit={(seed) => change({ seed })} />
        </Setting>
        <button type="button" className="link" onClick={() => change({ ...DEFAULT_SETTINGS, longestSide: settings.longestSide })}>
          Back to the defaults
        </button>
        <button type="button" className="link" title="K 100: about a third of the training time on the CPU, and more defects pass unseen." onClick={() => change({ ...QUICK_SETTINGS, longestSide: settings.longestSide })}>
          Quick
        </button>
        <button type="button" className="link" title="The official settings: K 1000, 100 epochs, ×7. Five times the defaults' condensation epochs, and a finer map." onClick={() => change({ ...THOROUGH_SETTINGS, longestSide: settings.longestSide })}>
          Thorough (the paper's settings)
        </button>
      </fieldset>
      <Setting
        id="epsilon"
        label="Heatmap outline sensitivity ε"
        explanation="Outlines the pixels that fewer than this share of normal pixels reach: where the defects are. It does not decide pass/fail (that is α, on the model panel) except through a minimum defect area. No retraining needed."
      >
        <RateSelect id="epsilon" describedBy="epsilon-help" value={project.epsilon} rates={EPSILON_PRESETS} onChoose={setEpsilon} />
      </Setting>
    </section>
  );
}

function Setting({ id, label, explanation, children }: { readonly id: string; readonly label: string; readonly explanation: string; readonly children: ReactNode }) {
  return (
    <div className="setting">
      <label htmlFor={id}>{label}</label>
      {children}
      <p className="explanation" id={`${id}-help`}>
        {explanation}
      </p>
    </div>
  );
}

/** A whole number, kept within [min, max] and committed when the field is left or Enter is pressed. */
function NumberField({ id, value, min, max, disabled, onCommit }: { readonly id: string; readonly value: number; readonly min: number; readonly max: number; readonly disabled?: boolean; readonly onCommit: (value: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const parsed = Math.round(Number(draft));
    if (Number.isFinite(parsed) && draft.trim() !== '') onCommit(Math.min(max, Math.max(min, parsed)));
    setDraft(null);
  };
  return (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      aria-describedby={`${id}-help`}
      min={min}
      max={max}
      step={1}
      disabled={disabled}
      value={draft ?? value}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}
