/**
 * What the engine did on its own that the person should know of — the GPU was reset and work
 * went on on the CPU, the engine crashed and starts again with the next action — kept until
 * dismissed. The services (./services.ts) pass every notice of every engine client here.
 */
import { create } from 'zustand';
import type { EngineNotice } from '../engine/api';

export interface ShownNotice extends EngineNotice {
  readonly id: number;
}

export interface EngineNoticesState {
  /** Oldest first. */
  readonly notices: readonly ShownNotice[];
}

export const useEngineNotices = create<EngineNoticesState>(() => ({ notices: [] }));

let nextId = 0;

/** Shows a notice; the same words twice in a row are shown once. */
export function showEngineNotice(notice: EngineNotice): void {
  const { notices } = useEngineNotices.getState();
  if (notices.at(-1)?.message === notice.message) return;
  useEngineNotices.setState({ notices: [...notices, { ...notice, id: ++nextId }] });
}

export function dismissEngineNotice(id: number): void {
  useEngineNotices.setState(({ notices }) => ({ notices: notices.filter((n) => n.id !== id) }));
}
