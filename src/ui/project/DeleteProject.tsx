/** Deleting the project, with everything it owns, after a second press. */
import { navigate } from '../../state/navigation';
import { deleteProject, useProjects } from '../../state/projectsStore';
import { ConfirmButton } from '../common/ConfirmButton';

export function DeleteProject() {
  const project = useProjects((s) => s.current?.project);
  if (!project) return null;
  return (
    <section className="panel" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      <p className="muted">Removes the project's images, models and results from this browser.</p>
      <ConfirmButton
        question="Delete this project and everything in it?"
        onConfirm={() => {
          void deleteProject(project.id).then(() => navigate({ screen: 'start' }));
        }}
      >
        Delete project
      </ConfirmButton>
    </section>
  );
}
