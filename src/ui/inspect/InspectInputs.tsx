/** Where images to inspect come from, and the progress of an inspection with its Cancel. */
import { cancelInspection, inspectFiles, inspectTestSet, useInspection } from '../../state/inspectionStore';
import { useProjects } from '../../state/projectsStore';
import { ProgressBar } from '../common/ProgressBar';
import { DropZone } from '../drop/DropZone';
import { count } from '../format';
import { Webcam } from './Webcam';

export function InspectInputs() {
  const progress = useInspection((s) => s.progress);
  const tests = useProjects((s) => s.current?.images.filter((i) => i.role === 'test').length ?? 0);
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
