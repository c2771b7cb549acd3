/**
 * Which screen is shown, kept in the address's hash (#/project/<id>/train) so that a reload,
 * the back button and a bookmark come back to the same place.
 */
import { create } from 'zustand';

/** 'station': the full-window station for the project's model (src/ui/station). */
export type Screen = 'project' | 'train' | 'inspect' | 'station';

export type Route = { readonly screen: 'start' } | { readonly screen: Screen; readonly projectId: string };

const SCREENS: readonly Screen[] = ['project', 'train', 'inspect', 'station'];

export function parseRoute(hash: string): Route {
  const [, kind, id, screen] = hash.replace(/^#/, '').split('/');
  if (kind !== 'project' || !id) return { screen: 'start' };
  const projectId = decodeURIComponent(id);
  return { screen: SCREENS.includes(screen as Screen) ? (screen as Screen) : 'project', projectId };
}

export function routeHash(route: Route): string {
  if (route.screen === 'start') return '#/';
  return `#/project/${encodeURIComponent(route.projectId)}${route.screen === 'project' ? '' : `/${route.screen}`}`;
}

export const useNavigation = create<{ route: Route }>(() => ({ route: parseRoute(location.hash) }));

addEventListener('hashchange', () => useNavigation.setState({ route: parseRoute(location.hash) }));

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (location.hash !== hash) location.hash = hash;
  useNavigation.setState({ route });
}
