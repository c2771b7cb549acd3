#!/usr/bin/python3
"""Exports the tiny random test ViTs with the DINOv2 ONNX contract, and their reference outputs.

The token-layout code (CLS, registers, patch grid) must be exercised exactly as the
onnx-community DINOv2 exports need, but no DINOv2 weights can be downloaded here: so this
builds a DINOv2-shaped ViT (HF Dinov2Model layout: patch embedding, CLS, bicubically
interpolated position embeddings, register tokens after CLS without position embedding,
pre-norm blocks with LayerScale, final LayerNorm) with seeded random weights, small enough to
commit, and records what PyTorch computes on deterministic inputs.

Run with Debian's torch 1.13 and onnx 1.12 (apt-get install python3-torch python3-onnx):
    /usr/bin/python3 scripts/export-test-vit.py
Writes fixtures/vit/: vit-tiny.onnx, vit-tiny-reg4.onnx, one OUTPUT.f32 per model and input,
and fixture.json.
"""
import json
import math
import os

import numpy as np
import onnx
import torch
from torch import nn
import torch.nn.functional as F

PATCH = 14
DIM = 32
DEPTH = 2
HEADS = 2
MLP_RATIO = 4
# The position embeddings are learnt for a 16x16 grid (224 px); other sizes interpolate.
BASE_GRID = 16
OPSET = 17
SEED = 20240914

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'vit')

MODELS = [
    {'name': 'vit-tiny', 'registers': 0},
    {'name': 'vit-tiny-reg4', 'registers': 4},
]

# Batch 2 on the non-square input checks that the batch axis is dynamic too.
INPUTS = [
    {'name': 'square224', 'shape': [1, 3, 224, 224]},
    {'name': 'wide154x308', 'shape': [2, 3, 154, 308]},
]

INPUT_FORMULA = (
    'x[b,c,y,x] = sin(0.031*(x+1)*(c+1) + 0.017*(y+1)*(b+2)) + 0.5*cos(0.023*(x+y) + 0.7*c)'
    ' - 0.3*b, computed in float64 with 0-based indices, then rounded to float32'
)


def make_input(shape):
    b, c, y, x = np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing='ij')
    v = np.sin(0.031 * (x + 1) * (c + 1) + 0.017 * (y + 1) * (b + 2)) + 0.5 * np.cos(0.023 * (x + y) + 0.7 * c) - 0.3 * b
    return v.astype(np.float32)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=1e-6)
        self.qkv = nn.Linear(DIM, 3 * DIM)
        self.proj = nn.Linear(DIM, DIM)
        self.ls1 = nn.Parameter(torch.empty(DIM))
        self.norm2 = nn.LayerNorm(DIM, eps=1e-6)
        self.fc1 = nn.Linear(DIM, MLP_RATIO * DIM)
        self.fc2 = nn.Linear(MLP_RATIO * DIM, DIM)
        self.ls2 = nn.Parameter(torch.empty(DIM))

    def forward(self, x):
        b, n, _ = x.shape
        qkv = self.qkv(self.norm1(x)).reshape(b, n, 3, HEADS, DIM // HEADS).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = torch.softmax(q @ k.transpose(-2, -1) * (DIM // HEADS) ** -0.5, dim=-1)
        a = (attn @ v).transpose(1, 2).reshape(b, n, DIM)
        x = x + self.ls1 * self.proj(a)
        return x + self.ls2 * self.fc2(F.gelu(self.fc1(self.norm2(x))))


class TinyDinoV2(nn.Module):
    def __init__(self, registers):
        super().__init__()
        self.registers = registers
        self.patch_embed = nn.Conv2d(3, DIM, PATCH, stride=PATCH)
        self.cls_token = nn.Parameter(torch.empty(1, 1, DIM))
        self.pos_embed = nn.Parameter(torch.empty(1, 1 + BASE_GRID * BASE_GRID, DIM))
        self.register_tokens = nn.Parameter(torch.empty(1, registers, DIM)) if registers else None
        self.blocks = nn.ModuleList([Block() for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(DIM, eps=1e-6)

    def interpolated_pos_embed(self, h, w):
        # As HF Dinov2: bicubic, align_corners=False, no antialiasing, to the exact grid size.
        # Always interpolating (also at 16x16, where it is the identity) keeps one traced graph.
        cls_pos = self.pos_embed[:, :1]
        grid = self.pos_embed[:, 1:].reshape(1, BASE_GRID, BASE_GRID, DIM).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=(h, w), mode='bicubic', align_corners=False)
        return torch.cat([cls_pos, grid.permute(0, 2, 3, 1).reshape(1, -1, DIM)], dim=1)

    def forward(self, pixel_values):
        b = pixel_values.shape[0]
        h = pixel_values.shape[2] // PATCH
        w = pixel_values.shape[3] // PATCH
        x = self.patch_embed(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.interpolated_pos_embed(h, w)
        if self.register_tokens is not None:
            x = torch.cat([x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]], dim=1)
        for block in self.blocks:
            x = block(x)
        return self.norm(x)


def init_weights(model):
    # Weights large enough that every part (position embeddings, attention, LayerScale) moves
    # the output visibly, so a wrong layout or interpolation cannot hide under the tolerance.
    gen = torch.Generator().manual_seed(SEED + model.registers)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('ls1') or name.endswith('ls2'):
                p.copy_(0.5 + 0.5 * torch.rand(p.shape, generator=gen))
            elif 'norm' in name and name.endswith('weight'):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
            elif p.dim() >= 2 and name not in ('pos_embed', 'cls_token', 'register_tokens'):
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))
            else:
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))


def main():
    torch.manual_seed(SEED)
    os.makedirs(OUT_DIR, exist_ok=True)
    inputs = {spec['name']: make_input(spec['shape']) for spec in INPUTS}
    manifest_models = []
    for spec in MODELS:
        model = TinyDinoV2(spec['registers']).eval()
        init_weights(model)
        path = os.path.join(OUT_DIR, spec['name'] + '.onnx')
        # Traced at a size that no fixture input uses, so the fixtures prove H, W are dynamic.
        dummy = torch.from_numpy(make_input([1, 3, 112, 168]))
        torch.onnx.export(
            model, (dummy,), path, opset_version=OPSET,
            input_names=['pixel_values'], output_names=['last_hidden_state'],
            dynamic_axes={'pixel_values': {0: 'batch_size', 2: 'height', 3: 'width'},
                          'last_hidden_state': {0: 'batch_size', 1: 'sequence_length'}},
            do_constant_folding=True,
        )
        # The exporter's shape inference loses the hidden size; readers of the contract need it.
        exported = onnx.load(path)
        hidden = exported.graph.output[0].type.tensor_type.shape.dim[2]
        hidden.Clear()
        hidden.dim_value = DIM
        onnx.checker.check_model(exported)
        onnx.save(exported, path)
        outputs = {}
        for name, x in inputs.items():
            with torch.no_grad():
                y = model(torch.from_numpy(x)).numpy().astype('<f4')
            out_name = f"{spec['name']}.{name}"
            y.tofile(os.path.join(OUT_DIR, out_name + '.f32'))
            b, _, hh, ww = x.shape
            outputs[name] = {
                'file': out_name + '.f32',
                'dims': list(y.shape),
                'grid': [hh // PATCH, ww // PATCH],
                'max_abs': float(np.abs(y).max()),
            }
        manifest_models.append({
            'file': spec['name'] + '.onnx',
            'bytes': os.path.getsize(path),
            'registers': spec['registers'],
            'outputs': outputs,
        })

    manifest = {
        'description': 'Tiny random ViTs with the DINOv2 ONNX contract (HF Dinov2Model layout) and their '
                       'PyTorch outputs. Regenerate with: /usr/bin/python3 scripts/export-test-vit.py '
                       '(Debian python3-torch 1.13, python3-onnx 1.12).',
        'torch_version': torch.__version__,
        'opset': OPSET,
        'seed': SEED,
        'patch_size': PATCH,
        'hidden_size': DIM,
        'layers': DEPTH,
        'heads': HEADS,
        'base_grid': [BASE_GRID, BASE_GRID],
        'position_embedding': 'learnt for the base grid; the patch part is resized to the input grid with '
                              'bicubic interpolation (align_corners=False, no antialias, cubic coefficient -0.75), '
                              'as HF Dinov2; register tokens get none',
        'input': {'name': 'pixel_values', 'dims': ['batch_size', 3, 'height', 'width'], 'dtype': 'float32'},
        'output': {'name': 'last_hidden_state', 'dims': ['batch_size', '1 + registers + (height/14)*(width/14)', 32],
                   'dtype': 'float32'},
        'token_layout': 'index 0: CLS; 1..registers: register tokens; then the patch tokens, row-major over the '
                        '(height/14) x (width/14) grid',
        'inputs': {
            'formula': INPUT_FORMULA,
            'shapes': {spec['name']: spec['shape'] for spec in INPUTS},
        },
        'array_format': 'little-endian float32, row-major, with the dims given per output',
        'models': manifest_models,
    }
    with open(os.path.join(OUT_DIR, 'fixture.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
