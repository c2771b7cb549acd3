/** Setting a project up: its name and backbone, its classes and their images, its test images. */
import { dismissRejections, useProjects } from '../../state/projectsStore';
import { ErrorNote } from '../common/ErrorNote';
import { ProgressBar } from '../common/ProgressBar';
import { Rejections } from '../common/Rejections';
import { ImportedNotice } from '../start/ImportBundle';
import { StoragePanel } from '../common/StoragePanel';
import { BackbonePicker } from './BackbonePicker';
import { ClassesPanel } from './ClassesPanel';
import { DatasetDrops } from './DatasetDrops';
import { DeleteProject } from './DeleteProject';
import { DemoRun } from './DemoRun';
import { ProjectName } from './ProjectName';
import { TestSetPanel } from './TestSetPanel';

export function ProjectScreen() {
  const intake = useProjects((s) => s.intake);
  const rejected = useProjects((s) => s.rejected);
  const error = useProjects((s) => s.error);
  const projectId = useProjects((s) => s.current?.project.id);
  return (
    <div className="columns project-screen">
      <div className="column narrow">
        <ProjectName />
        <BackbonePicker />
        <StoragePanel />
        <DeleteProject />
      </div>
      <div className="column wide">
        {intake && (
          <div role="status" className="panel">
            <ProgressBar label={intake.label} done={intake.done} total={intake.total} text={`${intake.label}: ${intake.done} of ${intake.total}`} />
          </div>
        )}
        {projectId && <ImportedNotice projectId={projectId} />}
        <DemoRun />
        <ErrorNote message={error} onDismiss={() => useProjects.setState({ error: null })} />
        <Rejections rejected={rejected} onDismiss={dismissRejections} />
        <ClassesPanel />
        <DatasetDrops />
        <TestSetPanel />
      </div>
    </div>
  );
}
