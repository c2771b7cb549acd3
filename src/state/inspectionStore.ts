/**
 * Inspection's state: the open project's kept results of its current model, and the view's own
 * choices (selection, opacity, zoom, sorting), kept here so they stay put while the person moves
 * between screens. The inspection itself (src/app/inspection) fills it.
 */
import { create } from 'zustand';
import type { ResultRecord } from '../storage/projectRecords';
import type { Rejection } from './intake/incoming';

export type SortKey = 'name' | 'severity' | 'verdict' | 'inspectedAt';

export interface InspectionProgress {
  readonly label: string;
  /** Images done. */
  readonly done: number;
  readonly total: number;
  /** Throughput of the run so far, once an image is done. */
  readonly imagesPerSecond?: number;
}

export interface InspectionState {
  /** The project whose results these are. */
  readonly projectId: string | null;
  /** Results of the project's current model, oldest first. */
  readonly results: readonly ResultRecord[];
  readonly selectedId: string | null;
  /** Heatmap opacity, 0–1. */
  readonly opacity: number;
  /** Magnification of the viewer, 1 = fit. */
  readonly zoom: number;
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly progress: InspectionProgress | null;
  readonly rejected: readonly Rejection[];
  readonly error: string | null;
}

export const useInspection = create<InspectionState>(() => ({
  projectId: null,
  results: [],
  selectedId: null,
  opacity: 0.6,
  zoom: 1,
  sort: { key: 'severity', descending: true },
  progress: null,
  rejected: [],
  error: null,
}));

const set = useInspection.setState;

/** The view's own choices. */
export const select = (selectedId: string) => set({ selectedId });
export const setOpacity = (opacity: number) => set({ opacity: Math.min(1, Math.max(0, opacity)) });
export const setZoom = (zoom: number) => set({ zoom: Math.min(8, Math.max(1, zoom)) });
export const sortBy = (key: SortKey) => set(({ sort }) => ({ sort: { key, descending: sort.key === key ? !sort.descending : key === 'severity' } }));
export const dismissInspectionMessages = () => set({ rejected: [], error: null });
