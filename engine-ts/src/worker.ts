/**
 * Worker entry: builds the run's filesystem, runs each step's module with our WASI, and
 * posts output as it is written and the outcome at the end. One worker per run; the
 * engine terminates it on timeout or cancel, which also frees everything the run held.
 *
 * A pre-booted worker starts its interpreter before the request exists and waits at the
 * gate (see gate.ts) for the caller's files, stdin and caps. A live worker keeps its
 * interpreter for many runs (see live_worker.ts).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { receiveMessageOnPort } from "node:worker_threads";
import { gateImports } from "./gate.ts";
import { runLive } from "./live_worker.ts";
import type { PrepareRole } from "./protocol.ts";
import type { MemoryFs } from "./wasi/mod.ts";
import type { Job, JobInput, PrebootPlan, WorkerCommand } from "./worker_messages.ts";
import {
  addFiles,
  buildFs,
  createWasi,
  finish,
  markStart,
  type Outcome,
  OutputSink,
  post,
  type RunStart,
  runStep,
  type StepResult,
} from "./worker_run.ts";

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  const command = event.data;
  switch (command.type) {
    case "run":
      post(runJob(command.job));
      break;
    case "preboot":
      post(runPrebooted(command.plan, command.port, command.signal));
      break;
    case "live":
      post(runLive(command.plan, command.port, command.signal));
      break;
  }
  self.close();
};
post({ type: "ready" });

function runJob(job: Job): Outcome {
  const fs = buildFs(job.baseFs, job.scratchDirs, job.maxFsBytes);
  addFiles(fs, job.files);
  const start = markStart(fs, job);
  // Removed after the start mark, so a build that fails reports the old program as deleted.
  if (job.keepProgram !== undefined) fs.removeFile(job.keepProgram);
  const sink = new OutputSink(job.maxOutputBytes);
  let result: StepResult = { outcome: "complete", exitCode: 0, error: null };
  let failedStep: PrepareRole | null = null;
  for (const [index, step] of job.steps.entries()) {
    const isLast = index === job.steps.length - 1;
    const wasi = createWasi(
      step,
      fs,
      isLast ? job.stdin : new Uint8Array(0),
      (fd, bytes) => sink.write(fd, bytes),
    );
    result = runStep(step, wasi, fs, job.memoryLimitMb);
    if (step.role !== "run" && (result.outcome !== "complete" || result.exitCode !== 0)) {
      failedStep = step.role;
      break;
    }
    if (result.outcome !== "complete") break;
    if (step.role === "link" && job.keepProgram !== undefined) keepProgram(fs, job, index);
  }
  return finish({
    result,
    failedStep,
    fs,
    start,
    input: job,
    sink,
    hidden: job.scratchDirs,
    alive: false,
  });
}

/** Saves the program the link step at `index` made where the caller asked for it. */
function keepProgram(fs: MemoryFs, job: Job, index: number): void {
  const programPath = job.steps[index + 1]?.fsPath;
  const program = programPath === undefined ? undefined : fs.readFile(programPath);
  if (program !== undefined && job.keepProgram !== undefined) {
    fs.addFile(job.keepProgram, program.slice());
  }
}

function runPrebooted(plan: PrebootPlan, port: MessagePort, signal: SharedArrayBuffer): Outcome {
  const fs = buildFs(plan.baseFs, plan.scratchDirs, plan.maxFsBytes);
  // Output written while booting is held back until the run it belongs to exists.
  const early: [1 | 2, Uint8Array][] = [];
  let sink: OutputSink | undefined;
  let job: JobInput | undefined;
  let start: RunStart | undefined;
  const wasi = createWasi(
    plan.step,
    fs,
    new Uint8Array(0),
    (fd, bytes) => sink ? sink.write(fd, bytes) : early.push([fd, bytes]),
  );
  let memory: WebAssembly.Memory | undefined;
  const probes: string[] = [];
  const open = () => {
    post({ type: "booted", probes });
    Atomics.wait(new Int32Array(signal), 0, 0);
    job = receiveMessageOnPort(port as never)?.message as JobInput;
    addFiles(fs, job.files);
    wasi.replaceStdin(job.stdin);
    start = markStart(fs, job);
    sink = new OutputSink(job.maxOutputBytes);
    for (const [fd, bytes] of early) sink.write(fd, bytes);
  };
  const result = runStep(
    plan.step,
    wasi,
    fs,
    plan.memoryLimitMb,
    (imports) =>
      gateImports(imports, {
        baseRoots: new Set(plan.baseRoots),
        // The step's further preopens come after the root (fd 3), in order.
        baseFds: new Set(plan.step.preopens.map((_, index) => 4 + index)),
        entry: plan.entry.replace(/^\/+/, ""),
        memory: () => memory,
        probe: (path) => probes.push(path),
        open,
      }),
    (instance) => {
      const exported = instance.exports.memory;
      if (exported instanceof WebAssembly.Memory) memory = exported;
    },
  );
  if (!job) open(); // the program ended without touching a path: take its job anyway
  return finish({
    result,
    fs,
    start: start!,
    input: job!,
    sink: sink!,
    hidden: plan.scratchDirs,
    alive: false,
  });
}
