/**
 * A station that follows a published model (./modelPublishing.ts): at most every few seconds it
 * reads the publication's manifest; when that names a version other than the one running, it
 * fetches the bundle, checks it against the manifest and then as an import checks a bundle
 * (src/app/import/importBundle.ts), stores it as a version of the project's model and makes it
 * the project's model once the part in flight is logged, so the next part is decided by it and
 * logged with its content SHA-256. Looking never holds a part up: it runs beside the parts, and
 * only the switch waits for the one in flight. Whatever goes wrong (offline, no file, a bundle cut
 * short or damaged, another product's model) is one line on the station, and the version that
 * runs keeps running.
 */
import { modelContentSha256 } from '../../core/formats/bundle';
import { checkPublishedBundle, followDecision, PUBLICATION_MANIFEST, readPublication, type Publication, type Sha256Hex } from '../../core/formats/publication';
import { loadBackbones } from '../backbones/backboneLibrary';
import { failureMessage } from '../../state/failure';
import { verifyBundle, type VerifiedBundle } from '../import/importBundle';
import { currentTarget } from '../../state/modelTarget';
import { chooseModel, openProject, useProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';
import { useStation, type Following } from '../../state/stationStore';
import { shortVersion } from './modelPublishing';
import { openStation, partSettled } from './stationWorkflow';

/** Where a followed model is published: a manifest, and the bundle it names beside it. */
export interface PublicationSource {
  /** The manifest's URL, or the folder's name. */
  readonly label: string;
  manifest(): Promise<string>;
  bundle(name: string): Promise<Uint8Array>;
}

/** The choices of seconds between two looks at a followed manifest. */
export const FOLLOW_EVERY_SECONDS = [5, 10, 30, 60, 300, 900] as const;

/** The manifest's address as typed, if it is one a station can fetch; otherwise why not. */
export function manifestUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return `“${text}” is not a web address: give the manifest's full URL (http://… or https://…/${PUBLICATION_MANIFEST}).`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : `“${text}” is not an http or https address.`;
}

/**
 * A publication on a web server: the manifest at `url`, the bundle beside it. Nothing is taken
 * from a cache, so a station sees a new publication at its next look.
 */
export function urlSource(url: URL): PublicationSource {
  const fetchBytes = async (address: URL, what: string): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await fetch(address, { cache: 'no-store' });
    } catch (e) {
      throw new Error(`${what} could not be fetched (${failureMessage(e)}): the server is unreachable, or does not let this page read it`);
    }
    if (!response.ok) throw new Error(`${what} could not be fetched: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new Error(`${what} stopped arriving (${failureMessage(e)})`);
    }
  };
  return {
    label: url.href,
    manifest: async () => new TextDecoder().decode(await fetchBytes(url, 'the manifest')),
    bundle: (name) => fetchBytes(new URL(name, url), `the bundle ${name}`),
  };
}

/** What following needs of a folder: its files by name. */
export type FollowedFolder = Pick<FileSystemDirectoryHandle, 'name' | 'getFileHandle'>;

/** A publication in a folder the person picked (a shared drive, say), read afresh at each look. */
export function folderSource(folder: FollowedFolder): PublicationSource {
  const read = async (name: string): Promise<File> => {
    try {
      return await (await folder.getFileHandle(name)).getFile();
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') throw new Error(`the folder ${folder.name} has no ${name}: nothing is published there yet`);
      throw new Error(`${name} in ${folder.name} could not be read (${failureMessage(e)})`);
    }
  };
  return {
    label: `the folder ${folder.name}`,
    manifest: async () => (await read(PUBLICATION_MANIFEST)).text(),
    bundle: async (name) => new Uint8Array(await (await read(name)).arrayBuffer()),
  };
}

/** A published bundle checked and refused: the same bytes are not fetched again. */
interface Refusal {
  readonly bundle: Sha256Hex;
  readonly reason: string;
}

/** Follows `source` until the returned function is called: a look now, then one `everySeconds` after each look ends. */
export function followModel(source: PublicationSource, everySeconds: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refusal: Refusal | null = null;
  const following: Following = { source: source.label, checkedAt: null, status: null };
  useStation.setState({ following });
  const mine = () => !stopped && useStation.getState().following?.source === source.label;
  const report = (text: string, problem: boolean, checkedAt: string | null) => {
    if (mine()) useStation.setState((s) => ({ following: { source: source.label, checkedAt: checkedAt ?? s.following?.checkedAt ?? null, status: { text, problem } } }));
  };
  const look = async () => {
    refusal = await lookOnce(source, refusal, report);
    if (!stopped) timer = setTimeout(() => void look(), everySeconds * 1000);
  };
  void look();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (useStation.getState().following?.source === source.label) useStation.setState({ following: null });
  };
}

type Report = (text: string, problem: boolean, checkedAt: string | null) => void;

/** One look at the manifest, and the switch where it names another version; the refusal to remember afterwards. */
async function lookOnce(source: PublicationSource, refusal: Refusal | null, report: Report): Promise<Refusal | null> {
  const running = useStation.getState().model;
  const target = currentTarget();
  if (!running || !target || target.model.id !== running.id) {
    report('Waiting for the station’s model before looking for a newer one.', false, null);
    return refusal;
  }
  const checkedAt = new Date().toISOString();
  const still = `Still running version ${shortVersion(running.sha256)}.`;
  let publication: Publication;
  try {
    publication = readPublication(await source.manifest());
  } catch (e) {
    report(`${sentence(failureMessage(e))} ${still}`, true, checkedAt);
    return refusal;
  }
  const decision = followDecision(publication, running.sha256, refusal?.bundle ?? null);
  if (decision === 'current') {
    report(`Up to date: version ${shortVersion(running.sha256)} is the one published.`, false, checkedAt);
    return refusal;
  }
  if (decision === 'refused') {
    report(`Version ${shortVersion(publication.version)} was refused: ${refusal!.reason} ${still}`, true, checkedAt);
    return refusal;
  }
  report(`Version ${shortVersion(publication.version)} is published: fetching and checking it…`, false, checkedAt);
  const stored = (useProjects.getState().current?.models ?? []).find((m) => modelContentSha256(m.model) === publication.version);
  if (stored) {
    await switchTo(target.projectId, () => chooseModel(stored.id));
    report(`Back to version ${shortVersion(publication.version)}, kept here from before (${publication.change}); it decides from the next part.`, false, checkedAt);
    return refusal;
  }
  let bytes: Uint8Array;
  try {
    bytes = await source.bundle(publication.bundle);
    // A bundle cut short or from another publication may be whole at the next look: not remembered.
    checkPublishedBundle(publication, bytes);
  } catch (e) {
    report(`${sentence(failureMessage(e))} ${still}`, true, checkedAt);
    return refusal;
  }
  let verified: VerifiedBundle;
  try {
    verified = await verifyBundle(new Blob([bytes as Uint8Array<ArrayBuffer>]), publication.bundle, engineClient());
  } catch (e) {
    return refuse(publication, failureMessage(e), still, checkedAt, report);
  }
  const unfit = unfitness(verified, publication, target.model.model.classes);
  if (unfit) {
    await verified.removeAdded();
    return refuse(publication, unfit, still, checkedAt, report);
  }
  const models = useProjects.getState().current?.models ?? [];
  // Its parent where this station holds it; otherwise the version it replaces here, the way back.
  const parentId = models.find((m) => publication.parent !== null && modelContentSha256(m.model) === publication.parent)?.id ?? target.model.id;
  try {
    await switchTo(target.projectId, async () => {
      await (await projects()).saveModel(target.projectId, newId(), verified.model, { parentId, at: publication.at, change: publication.change }, verified.contents.metrics ?? undefined);
    });
  } catch (e) {
    await verified.removeAdded();
    report(`Version ${shortVersion(publication.version)} could not be stored (${failureMessage(e)}). ${still}`, true, checkedAt);
    return refusal;
  }
  if (verified.addedBackbone) await loadBackbones();
  report(`Switched to version ${shortVersion(publication.version)} (${new Date(publication.at).toLocaleString()}: ${publication.change}); it decides from the next part.`, false, checkedAt);
  return null;
}

/** Why a verified bundle is not for this station, or null. */
function unfitness({ model, backbone, contents }: VerifiedBundle, publication: Publication, classes: readonly string[]): string | null {
  if (modelContentSha256(model) !== publication.version) return `the bundle holds version ${shortVersion(modelContentSha256(model))}, not the ${shortVersion(publication.version)} its manifest names.`;
  if (model.classes.join('\n') !== classes.join('\n')) return `it is a model of ${model.classes.join(', ')}, not of this station's ${classes.join(', ')}.`;
  if (!backbone) return `it does not carry its backbone ${contents.model.backbone.name}, which this browser lacks: publish it with the backbone.`;
  return null;
}

function refuse(publication: Publication, reason: string, still: string, checkedAt: string, report: Report): Refusal {
  report(`Version ${shortVersion(publication.version)} was refused: ${reason} ${still}`, true, checkedAt);
  return { bundle: publication.sha256, reason };
}

/** Makes a stored version the project's model once the part in flight is logged, and opens the station on it. */
async function switchTo(projectId: string, change: () => Promise<void>): Promise<void> {
  await partSettled();
  await change();
  await openProject(projectId);
  await openStation(projectId);
}

/** A reason as a sentence of its own: capitalised, with a full stop. */
function sentence(reason: string): string {
  const text = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
