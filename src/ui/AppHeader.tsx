/** The bar on every screen: the app's name (back to the start), the offline state, a waiting update, and the theme. */
import type { Route } from '../state/navigation';
import { routeHash } from '../state/navigation';
import { OfflineBadge } from './common/OfflineBadge';
import { UpdatePrompt } from './common/UpdatePrompt';
import { setTheme, useTheme, type ThemeChoice } from './theme';

export function AppHeader({ route }: { readonly route: Route }) {
  const theme = useTheme();
  return (
    <header className="app-header">
      <a className="brand" href={routeHash({ screen: 'start' })} aria-current={route.screen === 'start' ? 'page' : undefined}>
        pixood-web
      </a>
      <span className="tagline">pixel-level anomaly inspection, on this device</span>
      <OfflineBadge />
      <label className="theme-picker">
        Theme{' '}
        <select value={theme} onChange={(event) => setTheme(event.currentTarget.value as ThemeChoice)}>
          <option value="auto">As the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <UpdatePrompt />
    </header>
  );
}
