/** The in-distribution classes: each a name and its good images, added by dropping folders or files. */
import { useState } from 'react';
import type { ClassRecord, ImageRecord } from '../../storage/projectRecords';
import { looksLikeMvtec } from '../../state/intake/mvtecLayout';
import { addClass, addClassFolders, addClassImages, addMvtecFolder, removeClass, removeImages, renameClass, useProjects } from '../../state/projectsStore';
import { ConfirmButton } from '../common/ConfirmButton';
import { DropZone } from '../drop/DropZone';
import { count } from '../format';
import { ThumbGrid } from './ThumbGrid';

export function ClassesPanel() {
  const current = useProjects((s) => s.current);
  const busy = useProjects((s) => s.intake !== null);
  if (!current) return null;
  const { project, images } = current;
  const train = images.filter((i) => i.role === 'train');
  return (
    <section className="panel" aria-labelledby="classes-heading">
      <h2 id="classes-heading">Classes of good images</h2>
      <p className="muted">Each class is one kind of normal surface or part. One class is the common case; with several, each pixel is also told which class it looks like.</p>
      {project.classes.map((c) => (
        <ClassCard key={c.key} cls={c} images={train.filter((i) => i.classKey === c.key)} busy={busy} />
      ))}
      <DropZone
        title={project.classes.length === 0 ? 'Drop a folder of good images' : 'Drop another folder for a new class'}
        hint="Each folder becomes a class named after it. An MVTec-style folder (train/good, test/, ground_truth/) is recognised."
        disabled={busy}
        filesLabel="Choose good images for a new class"
        folderLabel="Choose a folder of good images for a new class"
        onFiles={(files) => void (looksLikeMvtec(files) ? addMvtecFolder(files) : addClassFolders(files))}
      />
      <AddClassForm />
    </section>
  );
}

function ClassCard({ cls, images, busy }: { readonly cls: ClassRecord; readonly images: readonly ImageRecord[]; readonly busy: boolean }) {
  const [name, setName] = useState<string | null>(null);
  const save = () => {
    const trimmed = name?.trim();
    if (trimmed && trimmed !== cls.name) void renameClass(cls.key, trimmed);
    setName(null);
  };
  return (
    <article className="class-card" aria-label={`Class ${cls.name}`}>
      <div className="class-head">
        <label>
          <span className="sr-only">Class name</span>
          <input value={name ?? cls.name} maxLength={120} onChange={(event) => setName(event.currentTarget.value)} onBlur={save} onKeyDown={(event) => event.key === 'Enter' && save()} />
        </label>
        <span className="count">{count(images.length, 'image')}</span>
        <ConfirmButton label={`Remove class ${cls.name}`} question={`Remove “${cls.name}” and its ${count(images.length, 'image')}?`} onConfirm={() => void removeClass(cls.key)}>
          Remove class
        </ConfirmButton>
      </div>
      <ThumbGrid images={images} label={`Images of ${cls.name}`} onRemove={(image) => void removeImages([image.id])} />
      <DropZone
        title={`Good images of ${cls.name}`}
        hint="Drop files or a folder; files that are not usable images are listed with the reason and skipped."
        accept="image/*"
        disabled={busy}
        filesLabel={`Choose images for ${cls.name}`}
        folderLabel={`Choose a folder for ${cls.name}`}
        onFiles={(files) => void addClassImages(cls.key, files)}
      />
    </article>
  );
}

function AddClassForm() {
  const [name, setName] = useState('');
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) void addClass(name.trim()).then(() => setName(''));
      }}
    >
      <label>
        New class{' '}
        <input value={name} maxLength={120} onChange={(event) => setName(event.currentTarget.value)} placeholder="e.g. cap, label, glass" />
      </label>
      <button type="submit" disabled={!name.trim()}>
        Add class
      </button>
    </form>
  );
}
