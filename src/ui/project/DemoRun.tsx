/** On the demo project made a moment ago: the rest of the demo in one click. */
import { trainAndInspect } from '../../app/demo/demoProject';
import { useDemo } from '../../state/demoStore';
import { useProjects } from '../../state/projectsStore';
import { useTraining } from '../../state/trainingStore';

export function DemoRun() {
  const demoId = useDemo((s) => s.projectId);
  const open = useProjects((s) => s.current);
  const training = useTraining((s) => s.status === 'running' || s.status === 'cancelling');
  if (!open || open.project.id !== demoId || open.project.modelId !== null) return null;
  const tests = open.images.filter((i) => i.role === 'test').length;
  return (
    <div className="notice" role="region" aria-label="The demo">
      <p>
        This is the demo: good fabric to learn from, and {tests} test images with their defect masks. Train the model and inspect the test images in one go, or
        step by step with Train and then Inspect.
      </p>
      <button type="button" className="primary" disabled={training} onClick={() => void trainAndInspect(open.project.id)}>
        Train and inspect
      </button>
    </div>
  );
}
