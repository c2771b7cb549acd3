/** Inspection: images in (drop, folder, webcam, the test set), the heatmap and regions of one, and the table of all. */
import { useEffect } from 'react';
import { loadResults } from '../../app/inspection/inspectionWorkflow';
import { dismissInspectionMessages, useInspection } from '../../state/inspectionStore';
import { routeHash } from '../../state/navigation';
import { useProjects } from '../../state/projectsStore';
import { ErrorNote } from '../common/ErrorNote';
import { Rejections } from '../common/Rejections';
import { ImportedNotice } from '../start/ImportBundle';
import { InspectInputs } from './InspectInputs';
import { ModelStandingNote } from './ModelStandingNote';
import { ResultsPanel } from './ResultsPanel';
import { Viewer } from './Viewer';

export function InspectScreen() {
  const project = useProjects((s) => s.current?.project);
  const model = useProjects((s) => s.current?.models.find((m) => m.id === s.current?.project.modelId));
  const rejected = useInspection((s) => s.rejected);
  const error = useInspection((s) => s.error);
  const projectId = project?.id;
  const modelId = project?.modelId ?? null;

  useEffect(() => {
    if (projectId) void loadResults(projectId, modelId);
  }, [projectId, modelId]);

  if (!project) return null;
  if (!model) {
    return (
      <section className="panel">
        <h2>No model yet</h2>
        <p>
          Inspection compares images with what a model learned from the good ones. <a href={routeHash({ screen: 'train', projectId: project.id })}>Train a model</a> first.
        </p>
      </section>
    );
  }
  return (
    <div className="inspect-screen">
      <ImportedNotice projectId={project.id} />
      <ModelStandingNote model={model} project={project} />
      <InspectInputs />
      <ErrorNote message={error} onDismiss={dismissInspectionMessages} />
      <Rejections rejected={rejected} onDismiss={dismissInspectionMessages} />
      <div className="columns">
        <div className="column wide">
          <Viewer model={model} epsilon={project.epsilon} alpha={project.alpha} minDefectArea={project.minDefectArea} />
        </div>
        <div className="column narrow results-column">
          <ResultsPanel />
        </div>
      </div>
    </div>
  );
}
