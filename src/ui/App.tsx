/**
 * The app's frame: a header with the project's screens and the theme, and the screen the
 * address names. Opening a project follows the address, so a reload lands on the same screen.
 */
import { useEffect } from 'react';
import { useNavigation } from '../state/navigation';
import { openProject, refreshProjects } from '../state/projectsStore';
import { applyStoredTheme } from './theme';
import { AppHeader } from './AppHeader';
import { EngineNotice } from './common/EngineNotice';
import { StartScreen } from './start/StartScreen';
import { ProjectFrame } from './project/ProjectFrame';
import { StationScreen } from './station/StationScreen';

// Before the first render, so the page never shows the other theme for a frame.
applyStoredTheme();

export function App() {
  const route = useNavigation((s) => s.route);
  const projectId = route.screen === 'start' ? null : route.projectId;

  useEffect(() => {
    void refreshProjects();
  }, []);
  useEffect(() => {
    if (projectId) void openProject(projectId);
  }, [projectId]);

  // The station fills the window: nothing else competes with the verdict beside the line.
  if (route.screen === 'station') {
    return (
      <>
        <EngineNotice />
        <main id="main" className="station-main">
          <StationScreen projectId={route.projectId} />
        </main>
      </>
    );
  }
  return (
    <>
      <AppHeader route={route} />
      <EngineNotice />
      <main id="main">{route.screen === 'start' ? <StartScreen /> : <ProjectFrame projectId={route.projectId} screen={route.screen} />}</main>
    </>
  );
}
