/** Adding a backbone: a DINOv2 preset from its URL (which may be changed to a mirror), or an ONNX file. */
import { useState } from 'react';
import type { BackbonePreset, StoredModel } from '../../engine/api';
import { addModelFile, addPreset } from '../../app/backbones/backboneLibrary';
import { useBackbones } from '../../state/backbonesStore';
import { DEFAULT_DINOV2 } from '../../app/projects/newProject';
import { DropZone } from '../drop/DropZone';
import { bytes } from '../format';

type Precision = BackbonePreset['variants'][number]['precision'];

export function AddBackbone({ onAdded }: { readonly onAdded: (model: StoredModel) => void }) {
  const presets = useBackbones((s) => s.presets)?.filter((p) => p.kind === 'dinov2') ?? [];
  const busy = useBackbones((s) => s.transfer !== null);
  const [presetId, setPresetId] = useState<string | null>(null);
  const [precision, setPrecision] = useState<Precision | null>(null);
  const [url, setUrl] = useState<string | null>(null);

  // The one a new project offers first, so both places suggest the same download.
  const preset = presets.find((p) => p.id === (presetId ?? DEFAULT_DINOV2)) ?? presets[0];
  const variant = preset?.variants.find((v) => v.precision === precision) ?? preset?.variants[0];
  const address = url ?? variant?.url ?? '';

  return (
    <details className="add-backbone">
      <summary>Add a backbone</summary>
      {preset && variant && (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void addPreset(preset, variant.precision, address).then((model) => model && onAdded(model));
          }}
        >
          <label>
            DINOv2 model{' '}
            <select
              value={preset.id}
              onChange={(event) => {
                setPresetId(event.currentTarget.value);
                setUrl(null);
              }}
            >
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Weights{' '}
            <select
              value={variant.precision}
              onChange={(event) => {
                setPrecision(event.currentTarget.value as Precision);
                setUrl(null);
              }}
            >
              {preset.variants.map((v) => (
                <option key={v.precision} value={v.precision}>
                  {v.precision}
                  {v.approxBytes !== null ? ` (about ${bytes(v.approxBytes)})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            From{' '}
            <input type="url" value={address} onChange={(event) => setUrl(event.currentTarget.value)} spellCheck={false} />
          </label>
          <p className="muted">Downloaded once, checked, and kept in this browser for offline use.</p>
          <button type="submit" disabled={busy || !address}>
            Download
          </button>
        </form>
      )}
      <DropZone
        title="Or drop an ONNX model"
        hint="It must take pixel_values [1, 3, H, W] and give last_hidden_state [1, tokens, D], as the DINOv2 exports do."
        accept=".onnx"
        folders={false}
        multiple={false}
        disabled={busy}
        filesLabel="Choose an ONNX model file"
        onFiles={(files) => void addModelFile(files[0].file).then((model) => model && onAdded(model))}
      />
    </details>
  );
}
