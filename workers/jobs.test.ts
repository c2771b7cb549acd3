import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../src/engine/api';
import { Jobs } from './jobs';

interface Engine {
  run(id: string, onProgress: (progress: JobProgress) => void): Promise<string>;
}

const step = (done: number): JobProgress => ({ stage: 'features', done, total: 1, unit: 'images' });
const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((port) => port.close()));

describe('Jobs', () => {
  it('lets the page drop a job’s callback as soon as the job ends, and sends no report after that', async () => {
    // A worker and its page: a Jobs exposed on one port of a channel, called through the other.
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const jobs = new Jobs();
    let reportLate = () => {};
    Comlink.expose(
      {
        run: (id, onProgress) =>
          jobs.run(id, onProgress, async (_signal, report) => {
            report(step(1));
            reportLate = () => report(step(2));
            return 'done';
          }),
      } satisfies Engine,
      port2,
    );
    const reports: number[] = [];
    let released = () => {};
    const release = new Promise<void>((resolve) => (released = resolve));
    // Comlink calls an exposed object's finalizer when the other side releases it.
    const onProgress = Object.assign((progress: JobProgress) => void reports.push(progress.done), { [Comlink.finalizer]: () => released() });

    expect(await Comlink.wrap<Engine>(port1).run('job-1', Comlink.proxy(onProgress))).toBe('done');
    await release;
    reportLate();
    expect(reports).toEqual([1]);
  });

  it('takes a plain function, with nothing to release', async () => {
    const reports: number[] = [];
    await new Jobs().run('job-1', (progress: JobProgress) => void reports.push(progress.done), async (_signal, report) => report(step(1)));
    expect(reports).toEqual([1]);
  });
});
