/**
 * Segmentation data: images with label masks, and the class table that says which mask value
 * is which class (or is ignored).
 */
import { addLabelledImages, removeImages, setMaskClass, useProjects } from '../../state/projectsStore';
import { DropZone } from '../drop/DropZone';
import { count } from '../format';
import { ThumbGrid } from './ThumbGrid';

export function DatasetDrops() {
  const current = useProjects((s) => s.current);
  const busy = useProjects((s) => s.intake !== null);
  if (!current) return null;
  const { project, images } = current;
  const labelled = images.filter((i) => i.role === 'train' && i.mask);
  const ignored = project.maskClasses.filter((m) => m.classKey === null).map((m) => m.value);
  return (
    <section className="panel" aria-labelledby="labelled-heading">
      <h2 id="labelled-heading">Images with label masks</h2>
      <p className="muted">For scenes with several classes in one image: each image with a PNG mask whose values are class numbers (grey or palette), paired by name (images/a.jpg with masks/a.png, or a_mask.png).</p>
      {labelled.length > 0 && (
        <>
          <p>{count(labelled.length, 'labelled image')}</p>
          <ThumbGrid images={labelled} label="Labelled images" onRemove={(image) => void removeImages([image.id])} />
        </>
      )}
      {project.maskClasses.length > 0 && (
        <table className="mask-table">
          <caption>Class table: what each mask value means</caption>
          <thead>
            <tr>
              <th scope="col">Mask value</th>
              <th scope="col">Class</th>
            </tr>
          </thead>
          <tbody>
            {project.maskClasses.map((row) => (
              <tr key={row.value}>
                <th scope="row">{row.value}</th>
                <td>
                  <select aria-label={`Class of mask value ${row.value}`} value={row.classKey ?? ''} onChange={(event) => void setMaskClass(row.value, event.currentTarget.value || null)}>
                    <option value="">ignored</option>
                    {project.classes.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {labelled.length > 0 && ignored.length > 0 && (
        <p className="warning">
          Pixels with mask value{ignored.length === 1 ? '' : 's'} {ignored.join(', ')} are left out of training: choose a class for {ignored.length === 1 ? 'it' : 'them'} in the table to use them.
        </p>
      )}
      <DropZone
        title="Drop images with their label masks"
        hint="New mask values become classes named after the value (255 is ignored); rename them in the class list."
        disabled={busy}
        filesLabel="Choose images and label masks"
        folderLabel="Choose a folder of images and label masks"
        onFiles={(files) => void addLabelledImages(files)}
      />
    </section>
  );
}
