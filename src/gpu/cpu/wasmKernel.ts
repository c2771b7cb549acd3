/**
 * The one way a committed AssemblyScript kernel (its wasm as base64, scripts/assemblyScript.ts)
 * becomes a running instance: compiled once per module, one instance (one linear memory) per
 * caller, since a kernel keeps its buffers in its memory and is not re-entrant.
 */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A fresh instance of the kernel whose wasm is `base64`; `name` says which in an abort's message. */
export async function instantiateKernel<Exports>(base64: string, name: string): Promise<Exports> {
  let module = compiled.get(base64);
  if (!module) {
    module = WebAssembly.compile(bytesOf(base64));
    compiled.set(base64, module);
  }
  const instance = await WebAssembly.instantiate(await module, {
    env: { abort: () => { throw new Error(`the ${name} kernel aborted`); } },
  });
  return instance.exports as unknown as Exports;
}
