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
const name = (mr, nr, packed) => `ukr${mr}x${nr}${packed ? 'Packed' : 'Strided'}`;

function kernel(mr, nr, packed) {
  const groups = nr / 4;
  const L = [];
  const aParams = packed ? 'a: usize' : 'a: usize, rsA: usize, csA: usize';
  L.push(`/** ${mr}×${nr} tile, A ${packed ? `packed (${mr} ${mr === 1 ? 'float' : 'floats'} per k step)` : 'strided (rsA between rows, csA between k)'}. */`);
  L.push(`// prettier-ignore`);
  L.push(`export function ${name(mr, nr, packed)}(k: i32, ${aParams}, b: usize, bStep: usize,`);
  L.push(`  c: usize, ldc: usize, alpha: f32, beta: f32, nValid: i32, scratch: usize): void {`);
  for (let i = 0; i < mr; i++) {
    L.push(`  let ${Array.from({ length: groups }, (_, q) => `${acc(i, q)} = f32x4.splat(0)`).join(', ')};`);
  }
  if (!packed) for (let i = 2; i < mr; i++) L.push(`  const rs${i} = rsA * ${i};`);
  L.push(`  for (let p = k; p > 0; p--) {`);
  for (let q = 0; q < groups; q++) L.push(`    const vb${cols(q)} = v128.load(b${q ? `, ${16 * q}` : ''});`);
  for (let i = 0; i < mr; i++) {
    const addr = packed ? `a${i ? `, ${4 * i}` : ''}` : i === 0 ? 'a' : i === 1 ? 'a + rsA' : `a + rs${i}`;
    L.push(`    const va${i} = v128.load32_splat(${addr});`);
    for (let q = 0; q < groups; q++) L.push(`    ${acc(i, q)} = madd(va${i}, vb${cols(q)}, ${acc(i, q)});`);
  }
  L.push(`    a += ${packed ? 4 * mr : 'csA'};`);
  L.push(`    b += bStep;`);
  L.push(`  }`);
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
  L.push(` * Runs the mr×nr SIMD microkernel (mr in 1..${MAX_MR}, nr in {4, 8}). A packed panel (rsA = 4, csA = 4·mr) takes`);
  L.push(` * the kernel that addresses it with constant offsets; any other A layout takes the strided kernel.`);
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
      L.push(
        `        case ${mr}: ${name(mr, nr, false)}(k, a, rsA, csA, b, bStep, c, ldc, alpha, beta, nValid, scratch); break;`,
      );
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
for (const nr of NRS) for (let mr = 1; mr <= MAX_MR; mr++) for (const packed of [true, false]) body.push(kernel(mr, nr, packed));
body.push(dispatcher());
writeFileSync(out, body.join('\n\n') + '\n');
console.log(`wrote ${out}`);
