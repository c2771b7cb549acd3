/**
 * How a headless command ends: `--help` prints the usage on stdout; a usage error prints the
 * message and the usage on stderr (exit 2); a CliError its message and its code; anything else
 * is the engine's or the browser's failure (exit 4).
 */
import { CliError, EXIT, type Parsed } from './args';

export async function runCommand<T>(usage: string, parse: (argv: readonly string[]) => Parsed<T>, body: (options: T) => Promise<number>): Promise<never> {
  let code: number;
  try {
    const parsed = parse(process.argv.slice(2));
    if (parsed.help) {
      process.stdout.write(usage);
      code = EXIT.ok;
    } else {
      code = await body(parsed.options);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      if (error.code === EXIT.usage) process.stderr.write(`\n${usage}`);
      code = error.code;
    } else {
      process.stderr.write(`Failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = EXIT.engine;
    }
  }
  // The browser and the dev server are closed by then; anything left (a stray handle) must not keep the process up.
  process.exit(code);
}
