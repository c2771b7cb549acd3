/**
 * AssemblyScript: this machine's ceilings for the roofline (roofline.ts), single-threaded wasm
 * SIMD. multiplyAdds runs 12 independent f32x4 multiply-add chains (enough to hide the mul and
 * add latencies); readBytes streams a buffer far larger than any cache.
 */

/** Runs `iterations` × 12 × 4 multiply-adds; returns a value that depends on all of them. */
export function multiplyAdds(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(0.000001);
  let a0 = f32x4.splat(1.0), a1 = f32x4.splat(1.1), a2 = f32x4.splat(1.2), a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4), a5 = f32x4.splat(1.5), a6 = f32x4.splat(1.6), a7 = f32x4.splat(1.7);
  let a8 = f32x4.splat(1.8), a9 = f32x4.splat(1.9), a10 = f32x4.splat(2.0), a11 = f32x4.splat(2.1);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
}

/**
 * Grows the memory to hold `bytes` past the heap base and writes it (pages never written all map
 * to one zero page, which reads from cache); returns where the buffer starts.
 */
export function reserve(bytes: i32): usize {
  const start = (__heap_base + 15) & ~(<usize>15);
  const pages = <i32>((start + <usize>bytes + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
  memory.fill(start, 1, <usize>bytes);
  return start;
}

/** Reads `bytes` from `start`, 4 vectors at a time; returns their sum so the reads stay. */
export function readBytes(start: usize, bytes: i32): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const end = start + <usize>bytes;
  for (let p = start; p < end; p += 64) {
    s0 = f32x4.add(s0, v128.load(p));
    s1 = f32x4.add(s1, v128.load(p, 16));
    s2 = f32x4.add(s2, v128.load(p, 32));
    s3 = f32x4.add(s3, v128.load(p, 48));
  }
  const sum = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  return f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 3);
}
