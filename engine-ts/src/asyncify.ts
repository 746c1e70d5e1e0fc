/**
 * Derives a runtime's snapshot binary from its language binary: the same module, with
 * Binaryen's asyncify applied to exactly the functions on the stack at the gate, so the stack
 * can be unwound there and rewound in a fresh instance (snapshot.ts), and its mutable globals
 * exported so a snapshot can read and restore them.
 *
 * Which functions are on the stack is found by booting the original to its gate and reading
 * V8's stack trace there. Instrumenting only those (an onlylist) keeps the binary's size and
 * speed: full asyncify of CPython costs about a fifth more code and slows programs by up to a
 * third; the onlylist costs nothing measurable. A wrong list would make the rewind start the
 * program over, so the engine refuses a snapshot whose unwind saved nothing, and the build
 * checks a restored run of an empty program.
 *
 * How derived files are named and checked is derived.ts's.
 *
 * @module
 */

import binaryen from "npm:binaryen@132.0.0";
import { gateImports } from "./gate.ts";
import { GLOBAL_EXPORT_PREFIX } from "./snapshot.ts";
import type { PrebootPlan } from "./worker_messages.ts";
import { buildFs, createWasi } from "./worker_run.ts";
import { countImports, rewriteBodies, rewriteInstructions } from "./wasm_grow.ts";
import { Reader, readSections, SectionId } from "./wasm_sections.ts";

/** Where the stack is at the gate: the syscall it stopped at and the functions under it. */
export interface GateStack {
  syscall: string;
  /** Indices (in the function index space) of the wasm functions on the stack, top first. */
  functions: number[];
}

class AtGate extends Error {}

/** Boots `plan` (whose module is `binary`, compiled) to its gate and reads its stack there. */
export function gateStack(plan: PrebootPlan, binary: Uint8Array): GateStack {
  const fs = buildFs(plan.baseFs, plan.scratchDirs, plan.maxFsBytes);
  const wasi = createWasi(plan.step, fs, new Uint8Array(0), () => {});
  const module = plan.step.module!;
  let memory: WebAssembly.Memory | undefined;
  let found: { syscall: string; stack: string } | undefined;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    const imports = gateImports(wasi.getImports(module), {
      baseRoots: new Set(plan.baseRoots),
      baseFds: new Set(plan.step.preopens.map((_, index) => 4 + index)),
      entry: plan.entry.replace(/^\/+/, ""),
      memory: () => memory,
      probe: () => {},
      open: (syscall) => {
        found = { syscall, stack: new Error().stack ?? "" };
        throw new AtGate();
      },
    });
    const instance = new WebAssembly.Instance(module, imports);
    const exported = instance.exports.memory;
    if (exported instanceof WebAssembly.Memory) memory = exported;
    try {
      wasi.start(instance, plan.step.exportName);
    } catch (err) {
      if (!(err instanceof AtGate)) throw err;
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (found === undefined) throw new Error("Cannot derive: the program ended before its gate");
  // V8 names a wasm frame by its byte offset in the module; map each to its function.
  const offsets = [
    ...found.stack.matchAll(/wasm:\/\/wasm\/[^:]+:wasm-function\[\d+\]:0x([0-9a-f]+)/g),
  ]
    .map((match) => parseInt(match[1]!, 16));
  if (offsets.length === 0) throw new Error("Cannot derive: no wasm frames at the gate");
  const bodies = functionBodies(binary);
  const functions = offsets.map((offset) => {
    const index = bodies.ranges.findIndex(([start, end]) => offset >= start && offset < end);
    if (index < 0) throw new Error(`Cannot derive: offset ${offset} is in no function`);
    return bodies.imported + index;
  });
  return { syscall: found.syscall, functions };
}

/** The byte range of each function body of `binary`, and how many functions are imported. */
function functionBodies(binary: Uint8Array): { imported: number; ranges: [number, number][] } {
  const sections = readSections(binary);
  const imported =
    countImports(sections.find((section) => section.id === SectionId.import)?.body).functions;
  const ranges: [number, number][] = [];
  for (const section of sections) {
    if (section.id === SectionId.code) {
      const base = section.body.byteOffset - binary.byteOffset;
      const reader = new Reader(section.body, 0);
      const count = reader.u32();
      for (let index = 0; index < count; index++) {
        const size = reader.u32();
        ranges.push([base + reader.offset, base + reader.offset + size]);
        reader.skip(size);
      }
    }
  }
  return { imported, ranges };
}

/** Thrown for a module this recipe cannot derive a snapshot binary from. */
export class NotDerivable extends Error {}

/**
 * Refuses a module that is asyncified already (Ruby's binary uses asyncify for its own setjmp
 * and fibers, and its scheduler would take the gate's unwind for one of its own), and one that
 * could write its function table, or whose code is not all known to the decoder: a worker reuses
 * an instance for the next run (snapshot.ts), rewriting its memory and globals but not its table.
 */
export function checkDerivable(module: WebAssembly.Module, binary: Uint8Array): void {
  if (WebAssembly.Module.exports(module).some((item) => item.name.startsWith("asyncify_"))) {
    throw new NotDerivable(
      "it is asyncified already (for its own setjmp or fibers), so a snapshot's unwind would " +
        "reach its scheduler; its runs boot",
    );
  }
  const code = readSections(binary).find((section) => section.id === SectionId.code);
  if (code === undefined) return;
  let writesTable = false;
  let unknown = 0;
  rewriteBodies(code.body, (body) => {
    const decoded = rewriteInstructions(body, (op, instruction) => {
      if (op === OP_TABLE_SET || (op === OP_MISC && TABLE_WRITES.has(instruction[1]!))) {
        writesTable = true;
      }
      return instruction; // a copy, so an undecodable body tells itself apart
    });
    if (decoded === undefined && body.length > 0) unknown++;
    return undefined;
  });
  if (writesTable || unknown > 0) {
    throw new NotDerivable(
      writesTable
        ? "its code can write its function table, which a reused instance would carry over"
        : `${unknown} of its functions hold instructions this engine does not decode`,
    );
  }
}

const OP_TABLE_SET = 0x26;
const OP_MISC = 0xfc;
/** table.init, table.copy, table.grow, table.fill (their sub-opcodes are single-byte LEBs). */
const TABLE_WRITES = new Set([12, 14, 15, 17]);

/** `binary` asyncified at `stack`'s functions, its mutable globals exported. */
export function asyncify(binary: Uint8Array, stack: GateStack): Uint8Array<ArrayBuffer> {
  const module = binaryen.readBinary(binary);
  try {
    const names = stack.functions.map((index) =>
      binaryen.getFunctionInfo(module.getFunctionByIndex(index)).name
    );
    module.setFeatures(module.getFeatures() | binaryen.Features.MutableGlobals);
    for (let index = 0; index < module.getNumGlobals(); index++) {
      const info = binaryen.getGlobalInfo(module.getGlobalByIndex(index));
      if (info.mutable && !info.module) {
        module.addGlobalExport(info.name, `${GLOBAL_EXPORT_PREFIX}${index}`);
      }
    }
    binaryen.setPassArgument("asyncify-imports", stack.syscall);
    // Names with a comma would split the list; Binaryen's own names never have one.
    binaryen.setPassArgument("asyncify-onlylist", names.join(","));
    binaryen.setOptimizeLevel(1);
    module.runPasses(["asyncify"]);
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}
