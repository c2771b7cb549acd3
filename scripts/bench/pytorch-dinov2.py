#!/usr/bin/python3
"""Times the official DINOv2 code's forward pass (ViT-S/14 with 4 registers, random weights) on
this machine's CPU, for the backbone benchmark's comparison. Prints one JSON line:
{"pytorch": "...", "threads": T, "size": S, "median_ms": M, "min_ms": m, "runs": R}.

Needs PyTorch (Debian: apt-get install python3-torch libopenblas0-pthread: without OpenBLAS,
Debian's PyTorch multiplies matrices with the generic BLAS, ~20 times slower) and a clone of the official code
(git clone https://github.com/facebookresearch/dinov2); nothing is downloaded. On PyTorch before
2.0 the official code's fused attention is given its plain formula:
    /usr/bin/python3 scripts/bench/pytorch-dinov2.py --repo PATH/TO/dinov2 [--size 448] [--threads 2] [--runs 5]
The weights are random: the time of a forward does not depend on them.
"""
import argparse
import json
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='a clone of facebookresearch/dinov2')
    parser.add_argument('--size', type=int, default=448)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    if args.size % 14:
        sys.exit(f'--size must be a multiple of 14, not {args.size}')
    try:
        import torch
    except ImportError:
        sys.exit('PyTorch is not installed here (Debian: apt-get install python3-torch).')
    if not hasattr(torch.nn.functional, 'scaled_dot_product_attention'):
        # PyTorch before 2.0 (Debian's 1.13) has no fused attention, which the official code
        # now calls: give it the plain formula it stands for.
        def attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False):
            weights = torch.softmax((q @ k.transpose(-2, -1)) * q.shape[-1] ** -0.5, dim=-1)
            return weights @ v
        torch.nn.functional.scaled_dot_product_attention = attention
    sys.path.insert(0, args.repo)
    from dinov2.models.vision_transformer import vit_small

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    # As the released ViT-S/14 with registers: 518-px position grid, LayerScale, one block chunk.
    model = vit_small(patch_size=14, num_register_tokens=4, img_size=518, init_values=1.0, block_chunks=0).eval()
    image = torch.randn(1, 3, args.size, args.size)
    times = []
    with torch.inference_mode():
        model.forward_features(image)
        for _ in range(args.runs):
            start = time.perf_counter()
            model.forward_features(image)
            times.append(1000 * (time.perf_counter() - start))
    print(json.dumps({'pytorch': torch.__version__, 'threads': args.threads, 'size': args.size,
                      'median_ms': statistics.median(times), 'min_ms': min(times), 'runs': args.runs}))


if __name__ == '__main__':
    main()
