/**
 * Where the chosen backbone (and with it training and inspection) runs: measured at first use,
 * remembered per browser, and overridable here.
 */
import { useEffect, useId } from 'react';
import type { PathPreference } from '../../engine/api';
import { choosePath, loadPathChoice } from '../../app/backbones/executionPath';
import { useBackbones } from '../../state/backbonesStore';

const LABELS: Record<PathPreference, string> = {
  auto: 'Automatic: the faster one, measured on first use',
  webgpu: 'GPU (WebGPU)',
  wasm: 'CPU (WebAssembly, multi-threaded)',
};

const pathName = (path: string) => (path === 'webgpu' ? 'GPU' : 'CPU');

export function ExecutionPathSetting({ modelId }: { readonly modelId: string }) {
  const id = useId();
  const choice = useBackbones((s) => s.paths[modelId]);

  useEffect(() => {
    void loadPathChoice(modelId);
  }, [modelId]);

  if (!choice) return null;
  const { measured } = choice;
  return (
    <div className="execution-path">
      <label htmlFor={id}>Runs on</label>{' '}
      <select id={id} value={choice.preference} onChange={(e) => void choosePath(modelId, e.target.value as PathPreference)}>
        {(Object.keys(LABELS) as PathPreference[]).map((p) => (
          <option key={p} value={p}>
            {LABELS[p]}
          </option>
        ))}
      </select>
      <p className="muted">
        {measured
          ? `Measured: ${measured.timings.map((t) => `${pathName(t.path)} ${t.ms === null ? 'failed' : `${t.ms.toFixed(0)} ms`}`).join(', ')}; the ${pathName(measured.fastest)} is faster. A change applies from the next training or inspection.`
          : 'Not measured yet: both are timed on a small image the first time this backbone is used on a GPU; where the browser has no WebGPU, everything runs on the CPU.'}
      </p>
    </div>
  );
}
