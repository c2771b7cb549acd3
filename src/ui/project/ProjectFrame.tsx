/** A project's heading and its screens: set it up, train it, inspect with it; the station opens full-window (src/ui/station). */
import { useEffect, useRef } from 'react';
import { routeHash, type Screen } from '../../state/navigation';
import { useProjects } from '../../state/projectsStore';
import { useTraining } from '../../state/trainingStore';
import { ProjectMissing } from '../common/ProjectMissing';
import { InspectScreen } from '../inspect/InspectScreen';
import { TrainScreen } from '../train/TrainScreen';
import { ProjectScreen } from './ProjectScreen';

const TABS: readonly { screen: Screen; label: string }[] = [
  { screen: 'project', label: 'Project' },
  { screen: 'train', label: 'Train' },
  { screen: 'inspect', label: 'Inspect' },
  { screen: 'station', label: 'Station' },
];

export function ProjectFrame({ projectId, screen }: { readonly projectId: string; readonly screen: Exclude<Screen, 'station'> }) {
  const current = useProjects((s) => s.current);
  const opening = useProjects((s) => s.opening);
  const training = useTraining((s) => s.projectId === projectId && (s.status === 'running' || s.status === 'cancelling'));
  const heading = useRef<HTMLHeadingElement>(null);

  // A new screen moves the focus to its heading, so keyboard and screen-reader users start there.
  useEffect(() => heading.current?.focus(), [screen, projectId]);

  if (current?.project.id !== projectId) return <ProjectMissing opening={opening === projectId} />;
  const { project } = current;
  return (
    <div className="project-frame">
      <div className="project-heading">
        <h1 ref={heading} tabIndex={-1}>
          {project.name}
        </h1>
        <nav aria-label="Project screens">
          <ul className="tabs">
            {TABS.map((tab) => (
              <li key={tab.screen}>
                <a href={routeHash({ screen: tab.screen, projectId })} aria-current={tab.screen === screen ? 'page' : undefined}>
                  {tab.label}
                  {tab.screen === 'train' && training ? ' (running)' : ''}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {screen === 'project' && <ProjectScreen />}
      {screen === 'train' && <TrainScreen />}
      {screen === 'inspect' && <InspectScreen />}
    </div>
  );
}
