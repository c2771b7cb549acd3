/**
 * What the app knows about itself, apart from the work: whether the network is there, whether
 * its own files are stored for offline use, and whether a new version waits to take over.
 * The service worker's registration (src/main.tsx) reports here; the header shows it.
 */
import { create } from 'zustand';

export interface AppStatus {
  /** navigator.onLine: false means surely offline; true only that some network is there. */
  readonly online: boolean;
  /** Every file of the app is stored in this browser, so it opens again without a network. */
  readonly offlineReady: boolean;
  /** A new version is installed and waits for the person's go-ahead. */
  readonly updateWaiting: boolean;
}

export const useAppStatus = create<AppStatus>(() => ({ online: navigator.onLine, offlineReady: false, updateWaiting: false }));

addEventListener('online', () => useAppStatus.setState({ online: true }));
addEventListener('offline', () => useAppStatus.setState({ online: false }));

/** Hands control to the waiting version and reloads the page into it. */
let activateWaiting: (() => Promise<void>) | null = null;

export function markOfflineReady(): void {
  useAppStatus.setState({ offlineReady: true });
}

export function markUpdateWaiting(activate: () => Promise<void>): void {
  activateWaiting = activate;
  useAppStatus.setState({ updateWaiting: true });
}

/** Switches to the new version now (the page reloads; stored projects and models stay). */
export async function applyUpdate(): Promise<void> {
  await activateWaiting?.();
}

/** Not now: the new version still takes over once every tab of the app has been closed. */
export function postponeUpdate(): void {
  useAppStatus.setState({ updateWaiting: false });
}
