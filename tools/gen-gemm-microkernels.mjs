// Generates assembly/gemm/microkernels.ts: the f32x4 register-blocked GEMM microkernels, one function per tile shape
// (mr rows × nr columns, mr in 1..4, nr in {4, 8}) and per A layout (packed panel or strided A), plus the dispatcher.
// Run: node tools/gen-gemm-microkernels.mjs   (rewrites the file; commit both).
//
// Why generated: each tile keeps its accumulators in named v128 locals (vacc{row}x{columns}, as in XNNPACK), which
// AssemblyScript cannot express as an array without spilling them to memory. Writing 24 near-identical functions by
// hand is how copy-paste bugs are made.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_MR = 4; // = MR in assembly/gemm/params.ts
const NRS = [8, 4];
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'assembly', 'gemm', 'microkernels.ts');

const cols = (q) => `${4 * q}${4 * q + 1}${4 * q + 2}${4 * q + 3}`; // column group q: '0123', '4567'
const acc = (i, q) => `vacc${i}x${cols(q)}`;
/**
 * Independent accumulator sets for 1-row tiles: a multiply-add has a latency of about 4 cycles and two issue per
 * cycle, so a tile wants 8 independent accumulators; a 1-row tile splits k into two interleaved sets. (Measured:
 * 1×4 tiles 20 → 23 GFLOP/s plain, 13 → 23 with FMA; more sets, or sets for 2-row tiles, spill or gain nothing.)
 */
const UNROLL = { '1x8': 2, '1x4': 2 };
const unroll = (mr, nr) => UNROLL[`${mr}x${nr}`] ?? 1;
const name = (mr, nr, packed) => `ukr${mr}x${nr}${packed ? 'Packed' : 'Strided'}`;

function kernel(mr, nr, packed) {
  const groups = nr / 4;
  const L = [];
  const aParams = packed ? 'a: usize' : 'a: usize, rsA: usize, csA: usize';
  const floats = mr === 1 ? 'float' : 'floats';
  const layout = packed ? `packed (${mr} ${floats} per k step)` : 'strided (rows rsA, k steps csA bytes apart)';
  L.push(`/** ${mr}×${nr} tile, A ${layout}. */`);
  L.push(`// prettier-ignore`);
  L.push(`export function ${name(mr, nr, packed)}(k: i32, ${aParams}, b: usize, bStep: usize,`);
  L.push(`  c: usize, ldc: usize, alpha: f32, beta: f32, nValid: i32, scratch: usize): void {`);
  const u = unroll(mr, nr);
  const set = (s) => (s === 0 ? '' : `_${s}`); // accumulator set s sums k steps ≡ s (mod u)
  for (let s = 0; s < u; s++) {
    for (let i = 0; i < mr; i++) {
      L.push(`  let ${Array.from({ length: groups }, (_, q) => `${acc(i, q)}${set(s)} = f32x4.splat(0)`).join(', ')};`);
    }
  }
  if (!packed) for (let i = 2; i < mr; i++) L.push(`  const rs${i} = rsA * ${i};`);
  const step = (s, indent) => {
    const bAt = s === 0 ? 'b' : `b + bStep${s === 1 ? '' : ` * ${s}`}`;
    const aAt = packed ? 'a' : s === 0 ? 'a' : `a + csA${s === 1 ? '' : ` * ${s}`}`;
    if (s > 0) {
      L.push(`${indent}const b${s} = ${bAt};`);
      if (!packed) L.push(`${indent}const a${s} = ${aAt};`);
    }
    const bv = s === 0 ? 'b' : `b${s}`;
    const av = packed || s === 0 ? 'a' : `a${s}`;
    for (let q = 0; q < groups; q++) {
      L.push(`${indent}const vb${cols(q)}${set(s)} = v128.load(${bv}${q ? `, ${16 * q}` : ''});`);
    }
    for (let i = 0; i < mr; i++) {
      const off = packed ? 4 * (s * mr + i) : 0;
      const addr = packed ? `a${off ? `, ${off}` : ''}` : i === 0 ? av : i === 1 ? `${av} + rsA` : `${av} + rs${i}`;
      L.push(`${indent}const va${i}${set(s)} = v128.load32_splat(${addr});`);
      for (let q = 0; q < groups; q++) {
        L.push(`${indent}${acc(i, q)}${set(s)} = madd(va${i}${set(s)}, vb${cols(q)}${set(s)}, ${acc(i, q)}${set(s)});`);
      }
    }
  };
  L.push(`  let p = k;`);
  if (u > 1) {
    L.push(`  for (; p >= ${u}; p -= ${u}) {`);
    for (let s = 0; s < u; s++) step(s, '    ');
    L.push(`    a += ${packed ? 4 * mr * u : `csA * ${u}`};`);
    L.push(`    b += bStep * ${u};`);
    L.push(`  }`);
  }
  L.push(`  for (; p > 0; p--) {`);
  step(0, '    ');
  L.push(`    a += ${packed ? 4 * mr : 'csA'};`);
  L.push(`    b += bStep;`);
  L.push(`  }`);
  for (let s = 1; s < u; s++) {
    for (let i = 0; i < mr; i++) {
      for (let q = 0; q < groups; q++) L.push(`  ${acc(i, q)} = f32x4.add(${acc(i, q)}, ${acc(i, q)}${set(s)});`);
    }
  }
  L.push(`  const valpha = f32x4.splat(alpha);`);
  L.push(`  if (nValid == ${nr}) {`);
  L.push(`    if (beta == 0) {`);
  for (let i = 0; i < mr; i++) {
    const row = i ? `c + ${i === 1 ? 'ldc' : `ldc * ${i}`}` : 'c';
    for (let q = 0; q < groups; q++) {
      L.push(`      v128.store(${row}, f32x4.mul(valpha, ${acc(i, q)})${q ? `, ${16 * q}` : ''});`);
    }
  }
  L.push(`    } else {`);
  L.push(`      const vbeta = f32x4.splat(beta);`);
  for (let i = 0; i < mr; i++) {
    if (i) L.push(`      const c${i} = c + ${i === 1 ? 'ldc' : `ldc * ${i}`};`);
    for (let q = 0; q < groups; q++) {
      const off = q ? `, ${16 * q}` : '';
      const row = i ? `c${i}` : 'c';
      L.push(`      v128.store(${row}, madd(vbeta, v128.load(${row}${off}), f32x4.mul(valpha, ${acc(i, q)}))${off});`);
    }
  }
  L.push(`    }`);
  L.push(`  } else {`);
  for (let i = 0; i < mr; i++) {
    for (let q = 0; q < groups; q++) {
      L.push(`    v128.store(scratch, f32x4.mul(valpha, ${acc(i, q)}), ${4 * (i * nr + 4 * q)});`);
    }
  }
  L.push(`    storePartialTile(${mr}, ${nr}, nValid, scratch, c, ldc, beta);`);
  L.push(`  }`);
  L.push(`}`);
  return L.join('\n');
}

function dispatcher() {
  const L = [];
  L.push(`/**`);
  L.push(` * Runs the mr×nr SIMD microkernel (mr in 1..${MAX_MR}, nr in {4, 8}). A packed panel (rsA = 4, csA = 4·mr)`);
  L.push(` * takes the kernel that addresses it with constant offsets; any other A layout takes the strided kernel.`);
  L.push(` */`);
  L.push(`// prettier-ignore`);
  L.push(`export function simdMicrokernel(mr: i32, nr: i32, k: i32, a: usize, rsA: usize, csA: usize, b: usize,`);
  L.push(`  bStep: usize, c: usize, ldc: usize, alpha: f32, beta: f32, nValid: i32, scratch: usize): void {`);
  L.push(`  const packed = rsA == 4 && csA == <usize>(4 * mr);`);
  L.push(`  if (nr == 8) {`);
  for (const nr of NRS) {
    if (nr !== 8) L.push(`  } else {`);
    L.push(`    if (packed) {`);
    L.push(`      switch (mr) {`);
    for (let mr = 1; mr <= MAX_MR; mr++) {
      L.push(`        case ${mr}: ${name(mr, nr, true)}(k, a, b, bStep, c, ldc, alpha, beta, nValid, scratch); break;`);
    }
    L.push(`      }`);
    L.push(`    } else {`);
    L.push(`      switch (mr) {`);
    for (let mr = 1; mr <= MAX_MR; mr++) {
      const args = 'k, a, rsA, csA, b, bStep, c, ldc, alpha, beta, nValid, scratch';
      L.push(`        case ${mr}: ${name(mr, nr, false)}(${args}); break;`);
    }
    L.push(`      }`);
    L.push(`    }`);
  }
  L.push(`  }`);
  L.push(`}`);
  return L.join('\n');
}

const header = `// GENERATED by tools/gen-gemm-microkernels.mjs — do not edit; change the generator and rerun it.
// GEMM microkernels: C[0:mr, 0:nValid] ← α·(A_panel · B_panel) + β·C, for one mr×nr tile over k steps.
// A: element (i, p) at a + i·rsA + p·csA (packed panels: rsA = 4, csA = 4·mr bytes). B: nr contiguous floats per k
// step, steps bStep bytes apart. C: row-major with ldc bytes between rows. β = 0 never reads C. When nValid < nr
// (the last columns of C) the tile goes through scratch (mr·nr floats) and only nValid columns are written.
// Accumulators are v128 locals named vacc{row}x{columns}; the relaxed build fuses each multiply-add.
import { madd, storePartialTile } from './tile';`;

const body = [header];
for (const nr of NRS) {
  for (let mr = 1; mr <= MAX_MR; mr++) for (const packed of [true, false]) body.push(kernel(mr, nr, packed));
}
body.push(dispatcher());
writeFileSync(out, body.join('\n\n') + '\n');
console.log(`wrote ${out}`);
