/** The project's name, edited in place and saved when the field is left or Enter is pressed. */
import { useState } from 'react';
import { renameProject, useProjects } from '../../state/projectsStore';

export function ProjectName() {
  const name = useProjects((s) => s.current?.project.name ?? '');
  const [draft, setDraft] = useState<string | null>(null);
  const save = () => {
    const trimmed = draft?.trim();
    if (trimmed && trimmed !== name) void renameProject(trimmed);
    setDraft(null);
  };
  return (
    <section className="panel" aria-labelledby="name-heading">
      <h2 id="name-heading">Name</h2>
      <label className="sr-only" htmlFor="project-name">
        Project name
      </label>
      <input
        id="project-name"
        value={draft ?? name}
        maxLength={200}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter') save();
          if (event.key === 'Escape') setDraft(null);
        }}
      />
    </section>
  );
}
