// The machine a benchmark ran on, recorded with every result file.
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import os from 'node:os';
import { hasRelaxedSimd, hasWasmSimd } from 'wasmgrad';

export interface MachineInfo {
  cpuModel: string;
  /** Logical cores the OS reports. */
  cores: number;
  cpuMHz: number;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  node: string;
  v8: string;
  /** Node flags this process runs with (e.g. --experimental-wasm-relaxed-simd). */
  execArgv: string[];
  wasmSimd: boolean;
  /** Whether this process validates relaxed SIMD (the relaxed build may still have run in a child process). */
  wasmRelaxedSimd: boolean;
  /** 1, 5 and 15 minute load averages when the run started: a shared machine makes medians noisy. */
  loadAverage: number[];
  gitCommit: string | null;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    cpuMHz: cpus[0]?.speed ?? 0,
    totalMemoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    wasmSimd: hasWasmSimd(),
    wasmRelaxedSimd: hasRelaxedSimd(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    gitCommit: gitCommit(),
  };
}

function gitCommit(): string | null {
  try {
    const options: ExecFileSyncOptionsWithStringEncoding = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] };
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], options).trim();
  } catch {
    return null;
  }
}
