/**
 * A stored backbone's execution path: the person's preference (auto, WebGPU or wasm), kept by
 * the engine, and the engine's last measurement, read into the backbones store's `paths`.
 */
import type { PathPreference } from '../../engine/api';
import { useBackbones } from '../../state/backbonesStore';
import { failureMessage } from '../../state/failure';
import { engineClient } from '../../state/services';

const set = useBackbones.setState;

export async function loadPathChoice(modelId: string): Promise<void> {
  try {
    const choice = await engineClient().pathChoice(modelId);
    set({ paths: { ...useBackbones.getState().paths, [modelId]: choice } });
  } catch (error) {
    set({ error: failureMessage(error) });
  }
}

/** Remembered per browser; the engine uses it from the next training or inspection on. */
export async function choosePath(modelId: string, preference: PathPreference): Promise<void> {
  try {
    await engineClient().setPathPreference(modelId, preference);
  } catch (error) {
    set({ error: failureMessage(error) });
  }
  await loadPathChoice(modelId);
}
