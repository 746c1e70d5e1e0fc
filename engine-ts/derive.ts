/**
 * Builds the snapshot binaries of the engine's interpreters (see src/asyncify.ts), once per
 * install: `runno-mcp install` runs it, and the engine uses what it finds.
 *
 * Usage: deno run <permissions> derive.ts --langs-dir DIR --manifest FILE --out DIR RUNTIME...
 *
 * For each runtime: boot its binary to the gate and read the stack there, asyncify exactly
 * those functions, check the result (a snapshot saves a stack, and a run restored from it runs
 * an empty program to exit code 0 with no output), then write `<key>.wasm`, the snapshot the
 * check took as `<key>.snap` (src/snapshot_image.ts) and their sidecar `<key>.json` into --out,
 * each by rename, so a reader never sees half a file. A runtime whose binary is already there
 * and whole only has its snapshot taken again, when the stored one is missing or stale. Prints
 * one line per runtime; exits 1 if any failed.
 *
 * A runtime with a precompiled header (clangpp, src/pch.ts) gets that instead: its compiler
 * precompiles the header in a run worker, and `<key>.pch` and its sidecar are written the same way.
 *
 * `build:NAME` builds the language file NAME the manifest describes with `build` (the SQLite
 * shell) instead: its toolchain runtime's compiler runs the build's steps in one run worker, as a
 * C run's compile and link do, and the program is written to `--out/NAME`. The installer checks
 * it against the sha256 the manifest pins (the build is reproducible) before it joins the
 * language files.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BaseFs, loadBaseFs, loadGuestFiles } from "./src/base_fs.ts";
import { asyncify, checkDerivable, gateStack } from "./src/asyncify.ts";
import {
  type DerivedInfo,
  derivedKey,
  fileSha256,
  sha256Hex,
  snapshotSource,
} from "./src/derived.ts";
import type { PchInfo } from "./src/pch.ts";
import type { Snapshot } from "./src/snapshot.ts";
import { encodeImage } from "./src/snapshot_image.ts";
import { capMemory, pagesOf } from "./src/wasm_memory.ts";
import { passiveData } from "./src/wasm_passive_data.ts";
import { addInterruptChecks } from "./src/wasm_interrupt.ts";
import { type Manifest, Runtimes } from "./src/runtimes.ts";
import { patchWasiVfsPoll } from "./src/wasi/mod.ts";
import type { Job, PrebootPlan, WorkerCommand, WorkerMessage } from "./src/worker_messages.ts";

/** Memory cap of the check runs (MB): any cap at least the snapshot's size restores it. */
const CHECK_MEMORY_MB = 512;
/** Memory cap of a precompile (MB), as the engine gives a compile step. */
const PCH_MEMORY_MB = 2048;
/** A positional naming a language file to build rather than a runtime to derive. */
const BUILD_PREFIX = "build:";
/** Memory cap of each step of a build (MB): clang -O2 on SQLite's 9 MB amalgamation. */
const BUILD_MEMORY_MB = 3072;
const FS_BYTES = 128 * 2 ** 20;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      "langs-dir": { type: "string" },
      manifest: { type: "string" },
      out: { type: "string" },
    },
  });
  const langsDir = values["langs-dir"];
  const manifestPath = values.manifest;
  const out = values.out;
  if (!langsDir || !manifestPath || !out) {
    console.error("Cannot derive: --langs-dir, --manifest and --out are required");
    Deno.exit(2);
  }
  const manifest = JSON.parse(await Deno.readTextFile(manifestPath)) as Manifest;
  const runtimes = new Runtimes(manifest, langsDir, out);
  await Deno.mkdir(out, { recursive: true });
  let failed = false;
  for (const id of positionals) {
    const started = performance.now();
    try {
      const done = id.startsWith(BUILD_PREFIX)
        ? await build(runtimes, manifest, id.slice(BUILD_PREFIX.length), out)
        : runtimes.get(id)?.pch === undefined
        ? await derive(runtimes, manifest, id, out)
        : await derivePch(runtimes, id, out);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const verb = id.startsWith(BUILD_PREFIX) ? "built" : "derived";
      console.log(done ? `${id}: ${verb} in ${seconds} s` : `${id}: already ${verb}`);
    } catch (err) {
      failed = true;
      console.log(`${id}: cannot derive: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  Deno.exit(failed ? 1 : 0);
}

/**
 * Derives runtime `id`'s snapshot binary into `out` and stores the snapshot taken of it;
 * false when both are there, whole and current.
 */
async function derive(
  runtimes: Runtimes,
  manifest: Manifest,
  id: string,
  out: string,
): Promise<boolean> {
  const spec = runtimes.get(id);
  const sourceSha = snapshotSource(manifest, id)?.sha256;
  if (!spec || sourceSha === undefined) {
    throw new Error("the manifest does not mark it `snapshot`, or it has more than one step");
  }
  const recipe = manifest.snapshot_recipe;
  const key = await derivedKey(id, sourceSha, recipe);
  const whole = await wholeInfo(out, key, sourceSha, recipe);
  if (whole !== undefined && await hasImage(out, key, whole, runtimes, id)) return false;
  const [step] = runtimes.resolveSteps(id, spec.entry, [], {});
  const { binary: _, ...rest } = step!;
  const baseFs = await Promise.all(runtimes.baseFsPaths(id).map(loadBaseFs));
  const guestFiles = runtimes.guestFiles(id);
  if (guestFiles.size > 0) baseFs.push(await loadGuestFiles(guestFiles));
  const planOf = (module: WebAssembly.Module): PrebootPlan => ({
    step: { ...rest, module },
    baseFs,
    entry: spec.entry,
    baseRoots: [
      ...new Set(
        baseFs.flatMap((base) => base.entries.map((entry) => entry.path.split("/")[1] ?? "")),
      ),
    ],
    scratchDirs: runtimes.scratchDirs(id),
    clockSeeded: spec.clock_seeded_prng ?? false,
    memoryLimitMb: CHECK_MEMORY_MB,
    maxFsBytes: FS_BYTES,
  });
  let info = whole;
  let derived: Uint8Array<ArrayBuffer>;
  if (info === undefined) {
    const source = await Deno.readFile(step!.binary);
    if ((await sha256Hex(source)) !== sourceSha) {
      throw new Error(`${step!.binary} does not match its sha256 in the manifest`);
    }
    const patched = patchWasiVfsPoll(source) ?? source;
    const original = await WebAssembly.compile(patched);
    checkDerivable(original, patched);
    const stack = gateStack(planOf(original), patched);
    // Hooked for the memory cap now, so an engine only rewrites the memory section (capMemory).
    derived = capMemory(
      addInterruptChecks(passiveData(asyncify(patched, stack))),
      pagesOf(CHECK_MEMORY_MB),
    );
    info = {
      source_sha256: sourceSha,
      recipe,
      sha256: await sha256Hex(derived),
      bytes: derived.length,
      gate_syscall: stack.syscall,
      onlylist: stack.functions,
    };
  } else {
    derived = await Deno.readFile(join(out, `${key}.wasm`));
  }
  const snapshot = await check(
    planOf(await WebAssembly.compile(capMemory(derived, pagesOf(CHECK_MEMORY_MB), true))),
  );
  const image = encodeImage(snapshot);
  info.image = {
    key: await runtimes.imageKey(id, info.sha256),
    sha256: await sha256Hex(image),
    bytes: image.length,
  };
  // The files first: a sidecar never names a file that is not there yet.
  if (whole === undefined) await writeByRename(join(out, `${key}.wasm`), derived);
  await writeByRename(join(out, `${key}.snap`), image);
  await writeByRename(
    join(out, `${key}.json`),
    new TextEncoder().encode(JSON.stringify(info, null, 2)),
  );
  await removeStale(out, id, key);
  return true;
}

/**
 * Precompiles runtime `id`'s header (src/pch.ts) into `out`; false when a whole one is there.
 */
async function derivePch(runtimes: Runtimes, id: string, out: string): Promise<boolean> {
  const spec = runtimes.get(id);
  const pch = await runtimes.pch(id);
  if (spec?.pch === undefined || pch === undefined) {
    throw new Error("the manifest gives it no precompiled header");
  }
  const sourceSha = fileSha256(runtimes.manifest, spec, spec.steps[0]!.binary)!;
  try {
    const info = JSON.parse(await Deno.readTextFile(pch.sidecar)) as PchInfo;
    const bytes = await Deno.readFile(pch.path);
    if (
      info.key === pch.key && info.bytes === bytes.length && info.sha256 === await sha256Hex(bytes)
    ) {
      return false;
    }
  } catch {
    // not there yet, or damaged: build it
  }
  const done = await runCompiler(runtimes, id, [spec.pch.argv], [], PCH_MEMORY_MB);
  const file = done.files.find((candidate) => candidate.path === spec.pch!.output);
  if (done.outcome !== "complete" || done.exitCode !== 0 || file === undefined) {
    throw new Error(`the precompile failed (exit ${done.exitCode}): ${done.error ?? ""}`);
  }
  const bytes = new Uint8Array(file.content);
  const info: PchInfo = {
    kind: "pch",
    key: pch.key,
    source_sha256: sourceSha,
    sha256: await sha256Hex(bytes),
    bytes: bytes.length,
  };
  await writeByRename(pch.path, bytes);
  await writeByRename(pch.sidecar, new TextEncoder().encode(JSON.stringify(info, null, 2)));
  const stale = new RegExp(`^${id.replace(/[^a-z0-9]/g, "\\$&")}-pch-[0-9a-f]{16}\\.(pch|json)$`);
  for await (const entry of Deno.readDir(out)) {
    if (stale.test(entry.name) && !entry.name.startsWith(`${pch.key}.`)) {
      await Deno.remove(join(out, entry.name));
    }
  }
  return true;
}

/**
 * Builds language file `name` (its manifest entry's `build`) into `out/name`: every step runs
 * the toolchain runtime's compiler over that runtime's base filesystem and the build's own
 * archives, in one filesystem, so a step reads what the one before it wrote.
 */
async function build(
  runtimes: Runtimes,
  manifest: Manifest,
  name: string,
  out: string,
): Promise<boolean> {
  const recipe = manifest.files[name]?.build;
  if (recipe === undefined || runtimes.get(recipe.toolchain) === undefined) {
    throw new Error("the manifest gives no build for it, or its toolchain is not a runtime");
  }
  try {
    if ((await sha256Hex(await Deno.readFile(join(out, name)))) === manifest.files[name]!.sha256) {
      return false;
    }
  } catch {
    // not built yet, or damaged: build it
  }
  const sources = await Promise.all(
    recipe.base_fs.map((archive) => loadBaseFs(runtimes.langFile(archive))),
  );
  const done = await runCompiler(
    runtimes,
    recipe.toolchain,
    recipe.steps,
    sources,
    BUILD_MEMORY_MB,
  );
  const file = done.files.find((candidate) => candidate.path === recipe.output);
  if (done.outcome !== "complete" || done.exitCode !== 0 || file === undefined) {
    throw new Error(`the build failed (exit ${done.exitCode}): ${done.error ?? ""}`);
  }
  const bytes = new Uint8Array(file.content);
  const sha256 = await sha256Hex(bytes);
  if (sha256 !== manifest.files[name]!.sha256) {
    throw new Error(
      `the build gave sha256 ${sha256}, the manifest pins ${
        manifest.files[name]!.sha256
      }: not written`,
    );
  }
  await writeByRename(join(out, name), bytes);
  return true;
}

/**
 * Runs runtime `id`'s compiler (its first step's binary, checked against the manifest's sha256)
 * once per argv of `argvs`, in one filesystem: the runtime's base filesystem and guest files, then
 * `extraBaseFs`. Returns the run's outcome, with every file the steps wrote.
 */
async function runCompiler(
  runtimes: Runtimes,
  id: string,
  argvs: string[][],
  extraBaseFs: BaseFs[],
  memoryMb: number,
): Promise<Extract<WorkerMessage, { type: "done" }>> {
  const spec = runtimes.get(id)!;
  const compiler = runtimes.resolveSteps(id, spec.entry, [], {})[0]!;
  const source = await Deno.readFile(compiler.binary);
  if ((await sha256Hex(source)) !== fileSha256(runtimes.manifest, spec, spec.steps[0]!.binary)) {
    throw new Error(`${compiler.binary} does not match its sha256 in the manifest`);
  }
  const baseFs = await Promise.all(runtimes.baseFsPaths(id).map(loadBaseFs));
  baseFs.push(await loadGuestFiles(runtimes.guestFiles(id)), ...extraBaseFs);
  const module = await WebAssembly.compile(capMemory(source, pagesOf(memoryMb), false));
  const { binary: _, ...rest } = compiler;
  return await runJob({
    files: [],
    stdin: new Uint8Array(0),
    maxOutputBytes: 65536,
    returnFs: "changed",
    maxReturnFiles: 100,
    maxReturnBytes: FS_BYTES,
    // Every step but the last is a prepare step: its failure ends the job, naming the step.
    steps: argvs.map((argv, index) => ({
      ...rest,
      argv,
      role: index === argvs.length - 1 ? "run" : "compile",
      module,
    })),
    baseFs,
    memoryLimitMb: memoryMb,
    maxFsBytes: FS_BYTES,
    scratchDirs: [],
  });
}

/** Runs `job` in a run worker and returns its outcome; the job's output is discarded. */
function runJob(job: Job): Promise<Extract<WorkerMessage, { type: "done" }>> {
  const worker = new Worker(new URL("./src/worker.ts", import.meta.url), {
    type: "module",
    deno: { permissions: "none" },
  });
  const stderr: string[] = [];
  return new Promise<Extract<WorkerMessage, { type: "done" }>>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === "done") resolve(message);
      else if (message.type === "output") stderr.push(new TextDecoder().decode(message.bytes));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
    worker.postMessage({ type: "run", job } satisfies WorkerCommand);
  }).then((done) => {
    if (done.exitCode !== 0) done.error = `${done.error ?? ""}${stderr.join("").slice(0, 2000)}`;
    return done;
  }).finally(() => worker.terminate());
}

/** Whether the sidecar names a whole image taken of what an engine would boot now. */
async function hasImage(
  out: string,
  key: string,
  info: DerivedInfo,
  runtimes: Runtimes,
  id: string,
): Promise<boolean> {
  if (info.image === undefined) return false;
  try {
    const image = await Deno.readFile(join(out, `${key}.snap`));
    return info.image.key === await runtimes.imageKey(id, info.sha256) &&
      info.image.bytes === image.length && info.image.sha256 === await sha256Hex(image);
  } catch {
    return false;
  }
}

/** Removes runtime `id`'s files derived from another binary or by another recipe. */
async function removeStale(out: string, id: string, key: string): Promise<void> {
  const stale = new RegExp(`^${id.replace(/[^a-z0-9]/g, "\\$&")}-[0-9a-f]{16}\\.(wasm|json|snap)$`);
  for await (const entry of Deno.readDir(out)) {
    if (stale.test(entry.name) && !entry.name.startsWith(`${key}.`)) {
      await Deno.remove(join(out, entry.name));
    }
  }
}

/** `key`'s sidecar, when it and its binary are in `out` and agree with each other. */
async function wholeInfo(
  out: string,
  key: string,
  sourceSha: string,
  recipe: string,
): Promise<DerivedInfo | undefined> {
  try {
    const info = JSON.parse(await Deno.readTextFile(join(out, `${key}.json`))) as DerivedInfo;
    const binary = await Deno.readFile(join(out, `${key}.wasm`));
    const whole = info.source_sha256 === sourceSha && info.recipe === recipe &&
      info.bytes === binary.length && info.sha256 === await sha256Hex(binary);
    return whole ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes a snapshot of `plan` in a run worker and runs an empty program from it; the snapshot,
 * to store.
 */
async function check(plan: PrebootPlan): Promise<Snapshot> {
  const worker = new Worker(new URL("./src/worker.ts", import.meta.url), {
    type: "module",
    deno: { permissions: "none" },
  });
  try {
    const ask = (command: WorkerCommand, until: WorkerMessage["type"][]) =>
      new Promise<WorkerMessage>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
          if (until.includes(event.data.type)) resolve(event.data);
          else if (event.data.type === "output") {
            reject(new Error(`the check run wrote: ${new TextDecoder().decode(event.data.bytes)}`));
          }
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage(command);
      });
    const taken = await ask({ type: "capture", plan }, ["snapshot", "no-snapshot"]);
    if (taken.type === "no-snapshot") throw new Error(`no snapshot: ${taken.reason}`);
    if (taken.type !== "snapshot") throw new Error(`unexpected "${taken.type}"`);
    const input = {
      files: [{ path: plan.entry, content: new Uint8Array(0) }],
      stdin: new Uint8Array(0),
      maxOutputBytes: 65536,
      returnFs: "none" as const,
      maxReturnFiles: 0,
      maxReturnBytes: 0,
    };
    const done = await ask({ type: "restore", plan, snapshot: taken.snapshot, input }, ["done"]);
    if (done.type !== "done" || done.outcome !== "complete" || done.exitCode !== 0) {
      throw new Error(`a restored empty program failed: ${JSON.stringify(done)}`);
    }
    return taken.snapshot;
  } finally {
    worker.terminate();
  }
}

async function writeByRename(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.${crypto.randomUUID()}.partial`;
  await Deno.writeFile(partial, bytes);
  await Deno.rename(partial, path);
}

if (import.meta.main) await main();
