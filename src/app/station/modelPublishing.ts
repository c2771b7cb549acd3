/**
 * Publishing the project's model for other stations: its bundle under a fixed name in a folder
 * the person picks, then a manifest beside it (core/formats/publication.ts) naming the version,
 * its parent, date and change, and the bundle's size and SHA-256. The folder can be followed as
 * it is, or copied to any static file server and followed by URL.
 */
import { modelContentSha256 } from '../../core/formats/bundle';
import { PUBLICATION_BUNDLE, PUBLICATION_MANIFEST, writePublication, type Publication } from '../../core/formats/publication';
import { sha256Hex } from '../../core/sha256';
import { modelBundle, type ModelBundleOptions } from '../export/modelBundle';
import { failureMessage } from '../../state/failure';
import { currentTarget } from '../../state/modelTarget';
import { useProjects } from '../../state/projectsStore';
import { useStation } from '../../state/stationStore';

/** What publishing needs of a folder: files created or replaced in it. */
export type PublishFolder = Pick<FileSystemDirectoryHandle, 'name' | 'getFileHandle'>;

/** A version named for people: the first digits of its content SHA-256, as the station shows the model. */
export const shortVersion = (sha256: string) => sha256.slice(0, 12);

/** Publishes the version the project runs into `folder`; the station's `publishing` line says how it went. */
export async function publishModel(folder: PublishFolder, options: ModelBundleOptions): Promise<void> {
  const set = (text: string, problem: boolean) => useStation.setState({ publishing: { text, problem } });
  const open = useProjects.getState().current;
  const target = currentTarget();
  if (!open || !target) {
    set('Train a model first: there is nothing to publish.', true);
    return;
  }
  const { model, version } = target.model;
  const versionSha = modelContentSha256(model);
  set(`Publishing version ${shortVersion(versionSha)} to ${folder.name}…`, false);
  try {
    const { blob } = await modelBundle(open.project, target.model, options);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const parent = open.models.find((m) => m.id === version?.parentId);
    const publication: Publication = {
      version: versionSha,
      parent: parent ? modelContentSha256(parent.model) : null,
      at: version?.at ?? model.createdAt,
      change: version?.change ?? 'Trained anew.',
      bundle: PUBLICATION_BUNDLE,
      sha256: sha256Hex(bytes),
      size: bytes.length,
    };
    // The manifest goes last: until it is replaced, followers keep reading the previous one, and
    // one that reads the new bundle with the old manifest finds the SHA-256 differs and waits.
    await writeFile(folder, PUBLICATION_BUNDLE, bytes);
    await writeFile(folder, PUBLICATION_MANIFEST, new TextEncoder().encode(writePublication(publication)));
    set(
      `Published version ${shortVersion(versionSha)} ${options.includeBackbone ? 'with' : 'without'} its backbone to ${folder.name} at ${new Date().toLocaleTimeString()}: ${PUBLICATION_MANIFEST} and ${PUBLICATION_BUNDLE} (${(bytes.length / 1e6).toFixed(1)} MB). Stations follow that folder, or its copy on a web server by the manifest's URL.`,
      false,
    );
  } catch (e) {
    set(`The model could not be published to ${folder.name}: ${failureMessage(e)}`, true);
  }
}

async function writeFile(folder: PublishFolder, name: string, bytes: Uint8Array): Promise<void> {
  // The browser writes into a temporary file and moves it over the old one on close, so a reader
  // finds the old file or the new one whole, never a half-written one.
  const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
  try {
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  } catch (e) {
    await writable.abort().catch(() => undefined);
    throw e;
  }
}
