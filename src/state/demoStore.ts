/** The demo's state while it is made: progress, a failure, and the project made in this page's life (src/app/demo makes it). */
import { create } from 'zustand';

export const useDemo = create<{
  readonly progress: { done: number; total: number } | null;
  readonly error: string | null;
  /** The demo project made in this page's life: its Project screen offers the one-click run. */
  readonly projectId: string | null;
}>(() => ({ progress: null, error: null, projectId: null }));
