// STUB: replaced by the optimizer work.
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from '../types.js';
import type { Storage } from './backend.js';
const todo = (): never => { throw new Error('not implemented'); };
export function sgdStep(n: number, p: Storage, g: Storage, v: Storage | null, hp: SgdHyper): void { todo(); }
export function rmspropStep(n: number, p: Storage, g: Storage, sq: Storage, gAvg: Storage | null, mom: Storage | null, hp: RmspropHyper): void { todo(); }
export function adamStep(n: number, p: Storage, g: Storage, m: Storage, v: Storage, vMax: Storage | null, hp: AdamHyper): void { todo(); }
export function adagradStep(n: number, p: Storage, g: Storage, sum: Storage, hp: AdagradHyper): void { todo(); }
