/** Test images with ground truth (from the demo or an MVTec test/ folder): kept for evaluation, never trained on. */
import { removeImages, useProjects } from '../../state/projectsStore';
import { ConfirmButton } from '../common/ConfirmButton';
import { count } from '../format';
import { ThumbGrid } from './ThumbGrid';

export function TestSetPanel() {
  const images = useProjects((s) => s.current?.images);
  const tests = images?.filter((i) => i.role === 'test') ?? [];
  if (tests.length === 0) return null;
  const byType = new Map<string, number>();
  for (const image of tests) byType.set(image.defectType ?? 'good', (byType.get(image.defectType ?? 'good') ?? 0) + 1);
  return (
    <section className="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">Test images</h2>
      <p>
        {count(tests.length, 'image')}:{' '}
        {[...byType]
          .sort(([a], [b]) => (a === 'good' ? -1 : b === 'good' ? 1 : a.localeCompare(b)))
          .map(([type, n]) => `${n} ${type}`)
          .join(', ')}
        . Inspect them all on the Inspect screen to see how well the model separates defects.
      </p>
      <ThumbGrid images={tests} label="Test images" onRemove={(image) => void removeImages([image.id])} />
      <ConfirmButton question="Remove all test images?" onConfirm={() => void removeImages(tests.map((i) => i.id))}>
        Remove test images
      </ConfirmButton>
    </section>
  );
}
