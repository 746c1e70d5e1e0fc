/**
 * The grow hook: rewrites every `memory.grow` of memory 0 into a call to an added function
 * that grows the memory and, when the grow fails, records how many pages were asked for in
 * an added global exported as `FAILED_GROW_EXPORT`. A program that hits the memory cap and
 * then crashes (C++'s `new` returns null here: clang is built without exceptions) can so be
 * told from one that crashes for another reason, however far below the cap it was.
 *
 * The hook only observes: the cap itself is the memory's maximum (see wasm_memory.ts). A
 * function whose instructions cannot be decoded (a proposal not listed here) is left as it
 * was, and so is every function without the bytes of a `memory.grow 0`.
 *
 * @module
 */

import {
  appendEntries,
  concatBytes,
  placeSection,
  Reader,
  type Section,
  SectionId,
  TruncatedError,
  writeLeb,
  writeName,
} from "./wasm_sections.ts";

/** The export holding the pages of the last failed grow of memory 0 (0: none failed). */
export const FAILED_GROW_EXPORT = "runno.failed_grow_pages";

const I32 = 0x7f;
const FUNC_TYPE = 0x60;
const OP_CALL = 0x10;
const OP_MEMORY_GROW = 0x40;

/** Imports a module declares, counted by kind. */
export interface ImportCounts {
  functions: number;
  globals: number;
  /** `module.name` of each imported memory. */
  memories: string[];
}

/** Counts the imports in an import section's `body`. */
export function countImports(body: Uint8Array | undefined): ImportCounts {
  const counts: ImportCounts = { functions: 0, globals: 0, memories: [] };
  if (body === undefined) return counts;
  const reader = new Reader(body, 0);
  const decoder = new TextDecoder();
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const module = decoder.decode(reader.take(reader.u32()));
    const name = decoder.decode(reader.take(reader.u32()));
    const kind = reader.byte();
    if (kind === 0x00) {
      reader.skipLeb();
      counts.functions++;
    } else if (kind === 0x01) {
      skipValType(reader);
      skipLimits(reader);
    } else if (kind === 0x02) {
      skipLimits(reader);
      counts.memories.push(`${module}.${name}`);
    } else if (kind === 0x03) {
      skipValType(reader);
      reader.byte(); // mutability
      counts.globals++;
    } else if (kind === 0x04) {
      reader.byte(); // tag attribute
      reader.skipLeb();
    } else {
      throw new TypeError(`Cannot read import "${module}.${name}": unknown kind ${kind}`);
    }
  }
  return counts;
}

/** Installs the grow hook in `sections` (which define memory 0), in place. */
export function hookMemoryGrow(sections: Section[], imports: ImportCounts): void {
  const body = (id: number) => sections.find((section) => section.id === id)?.body;
  const globalIndex = imports.globals + vectorLength(body(SectionId.global));
  placeSection(sections, {
    id: SectionId.global,
    body: appendEntries(body(SectionId.global), [[I32, 0x01, 0x41, 0x00, 0x0b]]),
  });
  placeSection(sections, {
    id: SectionId.export,
    body: appendEntries(body(SectionId.export), [
      [...writeName(FAILED_GROW_EXPORT), 0x03, ...writeLeb(globalIndex)],
    ]),
  });
  const types = body(SectionId.type);
  let typeIndex = growTypeIndex(types);
  if (typeIndex === null) return; // a GC type section: the global stays 0
  if (typeIndex === undefined) {
    typeIndex = vectorLength(types);
    placeSection(sections, {
      id: SectionId.type,
      body: appendEntries(types, [[FUNC_TYPE, 0x01, I32, 0x01, I32]]),
    });
  }
  const hookIndex = imports.functions + vectorLength(body(SectionId.function));
  placeSection(sections, {
    id: SectionId.function,
    body: appendEntries(body(SectionId.function), [writeLeb(typeIndex)]),
  });
  placeSection(sections, {
    id: SectionId.code,
    body: rewriteCode(body(SectionId.code), hookIndex, hookBody(globalIndex)),
  });
}

/**
 * `(func (param $pages i32) (result i32) (local $old i32)
 *    (local.tee $old (memory.grow (local.get $pages)))
 *    (if (i32.eq (i32.const -1)) (then (global.set $failed (local.get $pages)))))
 *    (local.get $old))`
 */
function hookBody(globalIndex: number): number[] {
  const code = [
    ...[0x01, 0x01, I32], // one local: i32
    ...[0x20, 0x00, OP_MEMORY_GROW, 0x00, 0x22, 0x01], // local.get 0; memory.grow; local.tee 1
    ...[0x41, 0x7f, 0x46, 0x04, 0x40], // i32.const -1; i32.eq; if
    ...[0x20, 0x00, 0x24, ...writeLeb(globalIndex), 0x0b], // local.get 0; global.set; end
    ...[0x20, 0x01, 0x0b], // local.get 1; end
  ];
  return [...writeLeb(code.length), ...code];
}

/** The index of a `(i32) -> i32` type, undefined when there is none, null for GC types. */
function growTypeIndex(body: Uint8Array | undefined): number | null | undefined {
  if (body === undefined) return undefined;
  const reader = new Reader(body, 0);
  const count = reader.u32();
  let found: number | undefined;
  for (let index = 0; index < count; index++) {
    if (reader.byte() !== FUNC_TYPE) return null;
    const start = reader.offset;
    for (let list = 0; list < 2; list++) {
      const length = reader.u32();
      for (let i = 0; i < length; i++) skipValType(reader);
    }
    const signature = body.subarray(start, reader.offset);
    if (found === undefined && signature.join() === "1,127,1,127") found = index;
  }
  return found;
}

/** The code section with each body's grows rewritten and the hook's body added. */
function rewriteCode(body: Uint8Array | undefined, hookIndex: number, hook: number[]): Uint8Array {
  const call = new Uint8Array([OP_CALL, ...writeLeb(hookIndex)]);
  return rewriteBodies(body, (code) => rewriteBody(code, call), [hook]);
}

/**
 * A code section's `body` with each function body passed through `rewrite` (undefined keeps
 * it as it was), and `appended` bodies (each already size-prefixed) added at its end.
 */
export function rewriteBodies(
  body: Uint8Array | undefined,
  rewrite: (code: Uint8Array) => Uint8Array | undefined,
  appended: number[][] = [],
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let count = 0;
  if (body !== undefined) {
    const reader = new Reader(body, 0);
    count = reader.u32();
    for (let i = 0; i < count; i++) {
      const start = reader.offset;
      const size = reader.u32();
      const rewritten = rewrite(reader.take(size));
      if (rewritten === undefined) chunks.push(body.subarray(start, reader.offset));
      else chunks.push(new Uint8Array(writeLeb(rewritten.length)), rewritten);
    }
  }
  chunks.unshift(new Uint8Array(writeLeb(count + appended.length)));
  chunks.push(...appended.map((entry) => new Uint8Array(entry)));
  return concatBytes(chunks);
}

/** `code` (a function body) with each `memory.grow 0` made `call`, or undefined if unchanged. */
export function rewriteBody(code: Uint8Array, call: Uint8Array): Uint8Array | undefined {
  if (!mayGrow(code)) return undefined;
  return rewriteInstructions(
    code,
    (op, instruction) =>
      op === OP_MEMORY_GROW && new Reader(instruction, 1).u32() === 0 ? call : undefined,
  );
}

/**
 * `code` (a function body) with each instruction for which `edit` returns bytes replaced by
 * them; undefined when nothing was replaced, or when the body holds an instruction not known
 * here (the function is then left as it was). `edit` sees each instruction's opcode and its
 * whole bytes, immediates included.
 */
export function rewriteInstructions(
  code: Uint8Array,
  edit: (op: number, instruction: Uint8Array) => Uint8Array | undefined,
): Uint8Array | undefined {
  const reader = new Reader(code, 0);
  const pieces: Uint8Array[] = [];
  let copied = 0;
  let depth = 0;
  try {
    const groups = reader.u32();
    for (let i = 0; i < groups; i++) {
      reader.skipLeb();
      skipValType(reader);
    }
    while (!reader.done) {
      const at = reader.offset;
      const op = reader.byte();
      if (op === 0x0b || op === 0x18) { // end, delegate: a block ends
        depth--;
        if (op === 0x18) reader.skipLeb();
        if (depth < 0 && !reader.done) return undefined;
      } else {
        if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06 || op === 0x1f) depth++;
        if (!skipImmediates(reader, op)) return undefined;
      }
      const replacement = edit(op, code.subarray(at, reader.offset));
      if (replacement !== undefined) {
        pieces.push(code.subarray(copied, at), replacement);
        copied = reader.offset;
      }
    }
  } catch (err) {
    if (err instanceof TruncatedError) return undefined;
    throw err;
  }
  if (depth !== -1 || pieces.length === 0) return undefined;
  pieces.push(code.subarray(copied));
  return concatBytes(pieces);
}

/** Whether `code` holds the bytes of a `memory.grow 0` anywhere (a cheap first look). */
function mayGrow(code: Uint8Array): boolean {
  let at = code.indexOf(OP_MEMORY_GROW);
  while (at !== -1) {
    const next = code[at + 1];
    if (next === 0x00 || next === 0x80) return true; // memory index 0, maybe padded
    at = code.indexOf(OP_MEMORY_GROW, at + 1);
  }
  return false;
}

/** Moves past the immediates of instruction `op`; false for an instruction not known here. */
function skipImmediates(reader: Reader, op: number): boolean {
  if (op >= 0x45 && op <= 0xc4) return true; // numeric instructions
  if (op >= 0x28 && op <= 0x3e) { // loads and stores
    skipMemarg(reader);
    return true;
  }
  switch (op) {
    case 0x00: // unreachable
    case 0x01: // nop
    case 0x05: // else
    case 0x0a: // throw_ref
    case 0x0f: // return
    case 0x19: // catch_all
    case 0x1a: // drop
    case 0x1b: // select
    case 0xd1: // ref.is_null
    case 0xd3: // ref.eq
    case 0xd4: // ref.as_non_null
      return true;
    case 0x02: // block
    case 0x03: // loop
    case 0x04: // if
    case 0x06: // try
      skipBlockType(reader);
      return true;
    case 0x07: // catch
    case 0x08: // throw
    case 0x09: // rethrow
    case 0x0c: // br
    case 0x0d: // br_if
    case 0x10: // call
    case 0x12: // return_call
    case 0x14: // call_ref
    case 0x15: // return_call_ref
    case 0x20: // local.get
    case 0x21: // local.set
    case 0x22: // local.tee
    case 0x23: // global.get
    case 0x24: // global.set
    case 0x25: // table.get
    case 0x26: // table.set
    case 0x3f: // memory.size
    case 0x40: // memory.grow
    case 0x41: // i32.const
    case 0x42: // i64.const
    case 0xd0: // ref.null (a heap type)
    case 0xd2: // ref.func
    case 0xd5: // br_on_null
    case 0xd6: // br_on_non_null
      reader.skipLeb();
      return true;
    case 0x11: // call_indirect
    case 0x13: // return_call_indirect
      reader.skipLeb();
      reader.skipLeb();
      return true;
    case 0x0e: { // br_table
      const labels = reader.u32();
      for (let i = 0; i <= labels; i++) reader.skipLeb();
      return true;
    }
    case 0x1c: { // select with types
      const types = reader.u32();
      for (let i = 0; i < types; i++) skipValType(reader);
      return true;
    }
    case 0x1f: { // try_table
      skipBlockType(reader);
      const catches = reader.u32();
      for (let i = 0; i < catches; i++) {
        const kind = reader.byte();
        if (kind > 0x03) return false;
        if (kind <= 0x01) reader.skipLeb(); // the tag
        reader.skipLeb(); // the label
      }
      return true;
    }
    case 0x43: // f32.const
      reader.skip(4);
      return true;
    case 0x44: // f64.const
      reader.skip(8);
      return true;
    case 0xfc:
      return skipMiscImmediates(reader, reader.u32());
    case 0xfd:
      return skipSimdImmediates(reader, reader.u32());
    case 0xfe:
      return skipAtomicImmediates(reader, reader.u32());
    default:
      return false; // GC (0xfb) and anything newer
  }
}

/** Saturating truncations, bulk memory and table instructions. */
function skipMiscImmediates(reader: Reader, op: number): boolean {
  if (op <= 0x07) return true;
  if (op === 0x08 || op === 0x0a || op === 0x0c || op === 0x0e) {
    reader.skipLeb();
    reader.skipLeb();
    return true;
  }
  if (op <= 0x11) {
    reader.skipLeb();
    return true;
  }
  return false;
}

function skipSimdImmediates(reader: Reader, op: number): boolean {
  if (op <= 0x0b || op === 0x5c || op === 0x5d) skipMemarg(reader); // loads, stores
  else if (op === 0x0c || op === 0x0d) reader.skip(16); // v128.const, i8x16.shuffle
  else if (op >= 0x15 && op <= 0x22) reader.skip(1); // extract and replace lane
  else if (op >= 0x54 && op <= 0x5b) { // load and store lane
    skipMemarg(reader);
    reader.skip(1);
  } else if (op > 0x113) return false;
  return true;
}

function skipAtomicImmediates(reader: Reader, op: number): boolean {
  if (op === 0x03) reader.skip(1); // atomic.fence
  else if (op <= 0x4e) skipMemarg(reader);
  else return false;
  return true;
}

function skipMemarg(reader: Reader): void {
  const align = reader.u32();
  if (align & 0x40) reader.skipLeb(); // a memory index (multi-memory)
  reader.skipLeb(); // the offset
}

function skipBlockType(reader: Reader): void {
  const first = reader.bytes[reader.offset];
  if (first === 0x63 || first === 0x64) skipValType(reader);
  else reader.skipLeb(); // empty (0x40), a value type, or a type index (s33)
}

function skipValType(reader: Reader): void {
  const type = reader.byte();
  if (type === 0x63 || type === 0x64) reader.skipLeb(); // (ref null? heaptype)
}

function skipLimits(reader: Reader): void {
  const flags = reader.byte();
  reader.skipLeb();
  if (flags & 0x01) reader.skipLeb();
  if (flags & 0x08) reader.skipLeb(); // a custom page size
}

function vectorLength(body: Uint8Array | undefined): number {
  return body === undefined ? 0 : new Reader(body, 0).u32();
}
