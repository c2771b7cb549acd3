/** Where images to inspect come from, and the progress of an inspection with its Cancel. */
import { cancelInspection, inspectFiles, inspectTestSet } from '../../app/inspection/inspectionWorkflow';
import { useInspection } from '../../state/inspectionStore';
import { setResolution, useProjects } from '../../state/projectsStore';
import { ProgressBar } from '../common/ProgressBar';
import { DropZone } from '../drop/DropZone';
import { count } from '../format';
import { Webcam } from './Webcam';

export function InspectInputs() {
  const progress = useInspection((s) => s.progress);
  const tests = useProjects((s) => s.current?.images.filter((i) => i.role === 'test').length ?? 0);
  const native = useProjects((s) => s.current?.project.resolution === 'native');
  const modelSide = useProjects((s) => s.current?.models.find((m) => m.id === s.current?.project.modelId)?.model.settings.longestSide);
  const busy = progress !== null;
  return (
    <section className="panel inspect-inputs" aria-labelledby="inputs-heading">
      <h2 id="inputs-heading" className="sr-only">
        Images to inspect
      </h2>
      <DropZone
        title="Drop images to inspect"
        hint="One image, many, or a folder. A labelled test set (an MVTec folder, or images with their defect masks) joins the test set and is scored."
        accept="image/*"
        disabled={busy}
        filesLabel="Choose images to inspect"
        folderLabel="Choose a folder to inspect"
        onFiles={(files) => void inspectFiles(files)}
      />
      <div className="other-inputs">
        {tests > 0 && (
          <button type="button" onClick={() => void inspectTestSet()} disabled={busy}>
            Inspect the {count(tests, 'test image')}
          </button>
        )}
        <Webcam disabled={busy} onCapture={(file) => void inspectFiles([{ file, path: file.name }])} />
        <span className="resolution-option">
          <input id="native-resolution" type="checkbox" checked={native} disabled={busy} aria-describedby="native-resolution-help" onChange={(e) => void setResolution(e.currentTarget.checked ? 'native' : 'model')} />{' '}
          <label htmlFor="native-resolution">Inspect at each image’s own size</label>
        </span>
        <p id="native-resolution-help" className="muted resolution-help">
          {native
            ? `Each image is scored at its own size in whole patches (very large ones scaled down): finer detail, slower. The pass/fail threshold was set at the model’s input size, so here good parts may fail more or less often than α.`
            : `Images are scored at the model’s input size${modelSide ? ` (${modelSide} px)` : ''}, as the pass/fail threshold was set.`}
        </p>
      </div>
      {progress && (
        <div role="status" className="inspect-progress">
          <ProgressBar label={progress.label} done={progress.done} total={progress.total} text={`${progress.label}: ${progress.done} of ${progress.total}${progress.imagesPerSecond ? ` (${progress.imagesPerSecond.toFixed(1)} images/s)` : ''}`} />
          <button type="button" onClick={cancelInspection}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
