/** Names a new project; it starts with the built-in backbone, which works offline. */
import { useState } from 'react';
import { ensureBuiltin, useBackbones } from '../../state/backbonesStore';
import { navigate } from '../../state/navigation';
import { createProject } from '../../state/projectsStore';
import { ErrorNote } from '../common/ErrorNote';

export function NewProjectForm({ id, onCancel }: { readonly id: string; readonly onCancel: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the project a name.');
      return;
    }
    setBusy(true);
    const backbone = await ensureBuiltin();
    if (!backbone) {
      setError(useBackbones.getState().error ?? 'The built-in backbone could not be loaded.');
      setBusy(false);
      return;
    }
    const project = await createProject(trimmed, backbone);
    navigate({ screen: 'project', projectId: project.id });
  };

  return (
    <form
      id={id}
      className="panel new-project"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        Project name{' '}
        <input value={name} autoFocus maxLength={200} onChange={(event) => setName(event.currentTarget.value)} placeholder="e.g. Line 3 — bottle caps" />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Create
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
