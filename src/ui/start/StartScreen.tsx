/** The first screen: what the app does, the demo, a new project, importing a model, and the projects kept here. */
import { useState } from 'react';
import { createDemoProject } from '../../app/demo/demoProject';
import { useDemo } from '../../state/demoStore';
import { navigate, routeHash } from '../../state/navigation';
import { deleteProject, useProjects } from '../../state/projectsStore';
import { ConfirmButton } from '../common/ConfirmButton';
import { ErrorNote } from '../common/ErrorNote';
import { ProgressBar } from '../common/ProgressBar';
import { StoragePanel } from '../common/StoragePanel';
import { ImportBundleButton, ImportBundleStatus, importDropped } from './ImportBundle';
import { NewProjectForm } from './NewProjectForm';

export function StartScreen() {
  const list = useProjects((s) => s.list);
  const error = useProjects((s) => s.error);
  const demo = useDemo();
  const [creating, setCreating] = useState(false);
  const webgpu = 'gpu' in navigator;

  const tryDemo = async () => {
    const id = await createDemoProject();
    if (id) navigate({ screen: 'project', projectId: id });
  };

  return (
    <div
      className="start"
      onDragOver={(event) => {
        // Only files can be a bundle: dragged text or links keep the browser's own behaviour.
        if (event.defaultPrevented || !event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={(event) => {
        // A drop zone inside (the new project's backbone file) has taken it already.
        if (event.defaultPrevented || !event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        void importDropped([...event.dataTransfer.files]);
      }}
    >
      <h1>pixood-web</h1>
      <p className="lead">Finds what does not belong in an image, pixel by pixel: show it pictures of good parts, and it marks everything else.</p>
      <p className="lead">It trains and inspects in this browser, on this device; no image leaves it, and it works offline.</p>

      <div className="start-actions">
        <button type="button" className="primary" onClick={() => void tryDemo()} disabled={demo.progress !== null}>
          Try the demo
        </button>
        <button type="button" onClick={() => setCreating(true)} aria-expanded={creating} aria-controls="new-project">
          New project
        </button>
        <ImportBundleButton />
      </div>
      <ImportBundleStatus />
      {demo.progress && (
        <div role="status">
          <ProgressBar label="Generating the demo images" done={demo.progress.done} total={demo.progress.total} text={`Generating the demo images: ${demo.progress.done} of ${demo.progress.total}`} />
        </div>
      )}
      <ErrorNote message={demo.error} onDismiss={() => useDemo.setState({ error: null })} />
      {creating && <NewProjectForm id="new-project" onCancel={() => setCreating(false)} />}

      <section aria-labelledby="projects-heading" className="panel">
        <h2 id="projects-heading">Projects in this browser</h2>
        <ErrorNote message={error} />
        {list === null ? (
          <p>Loading…</p>
        ) : list.length === 0 ? (
          <p className="muted">None yet. Try the demo, or start a new project.</p>
        ) : (
          <ul className="project-list">
            {list.map((project) => (
              <li key={project.id}>
                <a href={routeHash({ screen: 'project', projectId: project.id })}>{project.name}</a>
                <span className="muted">
                  {' '}
                  created {new Date(project.createdAt).toLocaleString()} · {project.modelId ? 'trained' : 'not trained yet'}
                </span>
                <ConfirmButton label={`Delete project ${project.name}`} question={`Delete “${project.name}” with its images, models and results?`} onConfirm={() => void deleteProject(project.id)}>
                  Delete
                </ConfirmButton>
              </li>
            ))}
          </ul>
        )}
      </section>

      <StoragePanel />
      <p className="muted">WebGPU in this browser: {webgpu ? 'available' : 'not available (the CPU path will be used)'}.</p>
    </div>
  );
}
