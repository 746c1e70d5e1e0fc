/**
 * Worker entry: builds the run's filesystem, runs each step's module with our WASI, and
 * posts output as it is written and the outcome at the end. A run either boots its program
 * (`run`) or resumes an interpreter from its snapshot (`restore`, see snapshot.ts); `capture`
 * takes that snapshot. Every run builds its instance and filesystem afresh, so a worker whose
 * run ended normally may take the next one; the engine terminates it on a timeout, a cancel
 * or a crash. A live worker keeps its interpreter for many runs (see live_worker.ts).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { runLive } from "./live_worker.ts";
import { captureSnapshot, runRestored, SnapshotError } from "./snapshot.ts";
import type { PrepareRole } from "./protocol.ts";
import type { StepHint } from "./runtimes.ts";
import type { MemoryFs } from "./wasi/mod.ts";
import type { Job, PrebootPlan, WorkerCommand, WorkerMessage } from "./worker_messages.ts";
import {
  addFiles,
  buildFs,
  createWasi,
  finish,
  markStart,
  type Outcome,
  OutputSink,
  post,
  runStep,
  type StepResult,
} from "./worker_run.ts";

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  const command = event.data;
  switch (command.type) {
    case "run":
      post(runJob(command.job));
      return; // the engine may hand this worker its next run
    case "restore":
      post(runRestored(command.plan, command.snapshot, command.input));
      return;
    case "capture":
      post(capture(command.plan));
      return;
    case "live":
      post(runLive(command.plan, command.port, command.signal));
      break;
  }
  self.close();
};
post({ type: "ready" });

function capture(plan: PrebootPlan): WorkerMessage {
  try {
    return { type: "snapshot", snapshot: captureSnapshot(plan) };
  } catch (err) {
    if (err instanceof SnapshotError) return { type: "no-snapshot", reason: err.message };
    throw err;
  }
}

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
    // A step with hints holds its stderr back until it ends, to put a hint first.
    const held: Uint8Array[] | undefined = step.hints.length > 0 ? [] : undefined;
    const wasi = createWasi(
      step,
      fs,
      isLast ? job.stdin : new Uint8Array(0),
      (fd, bytes) =>
        fd === 2 && held !== undefined ? held.push(bytes.slice()) : sink.write(fd, bytes),
    );
    result = runStep(step, wasi, fs, job.memoryLimitMb);
    const failed = result.outcome !== "complete" || result.exitCode !== 0;
    const role = step.role;
    if (held !== undefined) writeHinted(sink, held, failed && role !== "run" ? step.hints : []);
    if (failed && role !== "run") {
      failedStep = role;
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

/** Writes a step's held stderr, after the line of each hint whose text it contains. */
function writeHinted(sink: OutputSink, held: Uint8Array[], hints: StepHint[]): void {
  const text = new TextDecoder().decode(concat(held));
  for (const hint of hints) {
    if (text.includes(hint.match)) sink.write(2, new TextEncoder().encode(`${hint.line}\n`));
  }
  for (const bytes of held) sink.write(2, bytes);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Saves the program the link step at `index` made where the caller asked for it. */
function keepProgram(fs: MemoryFs, job: Job, index: number): void {
  const programPath = job.steps[index + 1]?.fsPath;
  const program = programPath === undefined ? undefined : fs.readFile(programPath);
  if (program !== undefined && job.keepProgram !== undefined) {
    fs.addFile(job.keepProgram, program.slice());
  }
}
