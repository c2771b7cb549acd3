/** The classifier's logits for features on the CPU, computed on the GPU (calibration on the GPU path). */
import type { Mlp } from '../core/classifier/mlp';
import type { Matrix } from '../core/tensor';
import { readMatrix } from './gpuMatrix';
import { withGpuScope } from './gpuScope';
import { KernelRecorder } from './kernelRecorder';
import { gpuKernels } from './kernels';
import { uploadMlp } from './mlpKernels';

/** [N, C] logits of `features` [N, D]. */
export function classifierLogitsGpu(device: GPUDevice, mlp: Mlp, features: Matrix): Promise<Matrix> {
  return withGpuScope(device, async (scope) => {
    const kernels = await gpuKernels(device, 'mlp');
    const gpuMlp = uploadMlp(scope, mlp, 'calibration classifier');
    const input = scope.upload(features, 'calibration features');
    const out = scope.matrix(features.dims[0], mlp.b2.dims[0], 'calibration logits');
    const rec = new KernelRecorder(device, 'calibration logits');
    kernels.logits(rec, gpuMlp, input, out);
    rec.submit();
    return readMatrix(device, out);
  });
}
