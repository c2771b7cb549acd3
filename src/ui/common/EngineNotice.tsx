/** The engine's notices (a GPU reset, a crash), above every screen until dismissed. */
import { dismissEngineNotice, useEngineNotices } from '../../state/engineNotices';

export function EngineNotice() {
  const notices = useEngineNotices((s) => s.notices);
  return (
    <div className="engine-notices" role="status">
      {notices.map((notice) => (
        <p key={notice.id} className={`engine-notice ${notice.kind}`}>
          <span>{notice.message}</span>
          <button type="button" onClick={() => dismissEngineNotice(notice.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
