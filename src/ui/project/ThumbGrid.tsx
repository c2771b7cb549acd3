/** Thumbnails of images, each removable; long lists show their first few until asked for all. */
import { useState } from 'react';
import type { ImageRecord } from '../../storage/projectRecords';
import { useObjectUrl } from '../common/useObjectUrl';

const FIRST = 24;

export function ThumbGrid({ images, onRemove, label }: { readonly images: readonly ImageRecord[]; readonly onRemove: (image: ImageRecord) => void; readonly label: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? images : images.slice(0, FIRST);
  if (images.length === 0) return null;
  return (
    <>
      <ul className="thumbs" aria-label={label}>
        {shown.map((image) => (
          <Thumb key={image.id} image={image} onRemove={() => onRemove(image)} />
        ))}
      </ul>
      {images.length > FIRST && (
        <button type="button" className="link" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${images.length}`}
        </button>
      )}
    </>
  );
}

function Thumb({ image, onRemove }: { readonly image: ImageRecord; readonly onRemove: () => void }) {
  const url = useObjectUrl(image.thumbnail);
  return (
    <li className="thumb">
      {url && <img src={url} alt={image.name} title={`${image.name} · ${image.width}×${image.height}`} width={64} height={64} />}
      {image.defectType && image.defectType !== 'good' && <span className="thumb-tag">{image.defectType}</span>}
      <button type="button" className="thumb-remove" aria-label={`Remove ${image.name}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}
