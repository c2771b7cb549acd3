/**
 * Files a command writes where the person asked: a path that cannot be written (no such
 * folder, no permission, a full disk) is bad data to fix, so it ends with exit 3 and the path,
 * not as an engine failure with a stack.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { CliError, EXIT } from './args';

function cannotWrite(path: string, error: unknown): CliError {
  return new CliError(EXIT.data, `${path}: cannot be written (${error instanceof Error ? error.message : String(error)}).`);
}

export async function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data).catch((error: unknown) => {
    throw cannotWrite(path, error);
  });
}

/** The folder and any missing parents. */
export async function makeOutputFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true }).catch((error: unknown) => {
    throw cannotWrite(path, error);
  });
}
