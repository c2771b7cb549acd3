/**
 * The one GPUDevice of the engine: requested once, shared by ONNX Runtime's WebGPU execution
 * provider and our own kernels (buffers cannot cross devices, so there must be exactly one).
 */

/** What the adapter says about itself, for display and for benchmark reports. */
export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software rasteriser such as SwiftShader: correct, but never a speed reference. */
  readonly isFallbackAdapter: boolean;
  readonly features: readonly string[];
  /** Bytes. */
  readonly maxBufferSize: number;
  /** Bytes. */
  readonly maxStorageBufferBindingSize: number;
}

export interface GpuContext {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly description: AdapterDescription;
}

/**
 * Limits we raise to whatever the adapter allows: a ViT-L output at 896 px and the feature
 * shards of training are hundreds of MB, well over the 128–256 MiB defaults.
 */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Features used when present: f16 for half-precision models, subgroups and timestamps for kernels. */
const WANTED_FEATURES: readonly GPUFeatureName[] = ['shader-f16', 'subgroups', 'timestamp-query'];

/** The GPU, or null where the browser has no WebGPU or no adapter (the wasm path takes over). */
export async function requestGpu(): Promise<GpuContext | null> {
  if (typeof navigator === 'undefined' || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({
    requiredFeatures: WANTED_FEATURES.filter((f) => adapter.features.has(f)),
    requiredLimits,
    label: 'pixood engine',
  });
  return { adapter, device, description: describeAdapter(adapter) };
}

function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const { info } = adapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter,
    features: [...adapter.features].sort(),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/**
 * Whether `device` is lost, or is found lost within `graceMs` ms. A job that fails because its
 * device was lost (destroyed, a driver reset) sees a rejected readback first — `mapAsync` fails
 * with an AbortError — and the device's `lost` promise settles a moment later, so a failure on
 * the GPU path waits briefly for it before calling the failure the job's own.
 */
export function lostWithin(device: GPUDevice, graceMs: number): Promise<boolean> {
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs))]);
}
