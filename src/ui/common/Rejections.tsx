/** Files that were skipped, each with its reason, until the person dismisses the list. */
import type { Rejection } from '../../state/intake/incoming';
import { count } from '../format';

export function Rejections({ rejected, onDismiss }: { readonly rejected: readonly Rejection[]; readonly onDismiss: () => void }) {
  if (rejected.length === 0) return null;
  return (
    <section className="rejections" aria-labelledby="rejections-heading" role="status">
      <h3 id="rejections-heading">{count(rejected.length, 'file was', 'files were')} skipped</h3>
      <ul>
        {rejected.map((r, i) => (
          <li key={`${r.path}-${i}`}>
            <span className="path">{r.path}</span>: {r.reason}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}
