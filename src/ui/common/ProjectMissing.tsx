/** What a project's screen shows until its project is open: that it is opening, or that it is not in this browser. */
import { routeHash } from '../../state/navigation';

export function ProjectMissing({ opening }: { readonly opening: boolean }) {
  if (opening) return <p role="status">Opening the project…</p>;
  return (
    <div className="panel">
      <h1>Project not found</h1>
      <p>
        This project is not in this browser (it may have been deleted). <a href={routeHash({ screen: 'start' })}>Back to the start</a>
      </p>
    </div>
  );
}
