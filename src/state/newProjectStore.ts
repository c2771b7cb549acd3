/**
 * What became of a new project's DINOv2 (downloading, ready, or the built-in one kept instead),
 * for its Project screen; one project at a time. The new project (src/app/projects) fills it.
 */
import { create } from 'zustand';

export interface BackboneNote {
  readonly projectId: string;
  readonly kind: 'downloading' | 'ready' | 'fell-back';
  readonly text: string;
}

export const useNewProject = create<{ readonly note: BackboneNote | null }>(() => ({ note: null }));

export function dismissBackboneNote(): void {
  useNewProject.setState({ note: null });
}
