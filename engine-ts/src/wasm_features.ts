/**
 * The feature set a caller's WebAssembly module may use, checked before V8 compiles it.
 *
 * Deno's V8 accepts much more than a WASI preview 1 program needs: GC structs and arrays,
 * which live on the JS heap where no memory cap reaches; any number of memories and tables;
 * 64-bit memories; exception tags; imported tables and globals. A program the sandbox runs
 * (a `wasi` caller's module, or one clang linked inside a run) gets the proposals that
 * compilers targeting wasm32-wasip1 emit and nothing else: one 32-bit memory it defines, at
 * most one table of at most MAX_TABLE_ENTRIES, numeric, vector and funcref/externref values,
 * function imports only. Each refusal names the feature and what to change.
 *
 * Every count the module declares is checked against the bytes left before it drives a loop,
 * so a forged count cannot make the engine spin or allocate (each entry takes at least one
 * byte). Function bodies are left to V8's validator: without GC types a body cannot allocate
 * on the JS heap, and V8 bounds locals and nesting itself.
 *
 * @module
 */

import { SectionId } from "./wasm_sections.ts";

/** Entries one table may hold (V8 also holds every table to it: see the engine's V8 flags). */
export const MAX_TABLE_ENTRIES = 1_000_000;

/** Thrown when a module uses what the sandbox does not offer, or is not well formed. */
export class FeatureError extends Error {}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const FUNC_TYPE = 0x60;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
/** i32, i64, f32, f64, v128. */
const NUMERIC_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b]);
const GC_TYPE_FORMS = new Set([0x4e, 0x4f, 0x50, 0x5e, 0x5f]); // rec, sub final, sub, array, struct
const IMPORT_KINDS = ["function", "table", "memory", "global", "tag"];
/** Opcodes a constant expression may hold: their immediates, and nothing that allocates. */
const CONST_OPS: Record<number, "s" | "u" | 4 | 8 | "heap" | "v128" | 0> = {
  0x41: "s", // i32.const
  0x42: "s", // i64.const
  0x43: 4, // f32.const
  0x44: 8, // f64.const
  0x23: "u", // global.get
  0xd0: "heap", // ref.null
  0xd2: "u", // ref.func
  0xfd: "v128", // v128.const
  0x6a: 0, // i32.add (extended constant expressions)
  0x6b: 0, // i32.sub
  0x6c: 0, // i32.mul
  0x7c: 0, // i64.add
  0x7d: 0, // i64.sub
  0x7e: 0, // i64.mul
};
const END = 0x0b;

/**
 * Throws FeatureError unless `binary` is a core WebAssembly 1.0 module (magic, version 1)
 * within the sandbox's feature set. `name` is how messages call the module.
 */
export function checkFeatures(binary: Uint8Array, name: string): void {
  const refuse = (what: string): never => {
    throw new FeatureError(`Cannot run "${name}": ${what}`);
  };
  if (binary.length < 8 || MAGIC.some((byte, index) => binary[index] !== byte)) {
    refuse("it is not a WebAssembly module (no \\0asm header)");
  }
  const version = binary[4]! | (binary[5]! << 8) | (binary[6]! << 16) | (binary[7]! << 24);
  if (version !== 1) {
    refuse(
      `it is a WebAssembly ${
        version === 0x1000d ? "component" : `binary of version ${version}`
      }; only core modules (version 1) for WASI preview 1 run here`,
    );
  }
  const module = new Checked(binary, refuse);
  module.sections();
}

/** One module's sections as they are checked, with what later sections need to know. */
class Checked {
  #offset = 8;
  #types = 0;
  #tables = 0;
  #memories = 0;

  constructor(readonly bytes: Uint8Array, readonly refuse: (what: string) => never) {}

  sections(): void {
    let last = 0;
    const seen = new Set<number>();
    while (this.#offset < this.bytes.length) {
      const id = this.#byte();
      const size = this.#u32();
      const end = this.#offset + size;
      if (end > this.bytes.length) this.#truncated();
      if (id !== SectionId.custom) {
        const rank = SECTION_ORDER.indexOf(id);
        if (rank === -1) this.refuse(`it has a section of unknown id ${id}`);
        if (seen.has(id) || rank < last) {
          this.refuse(`its section ${id} is repeated or out of order`);
        }
        seen.add(id);
        last = rank;
      }
      this.#section(id, end);
      if (this.#offset !== end) this.refuse(`its section ${id} does not end where its size says`);
    }
  }

  #section(id: number, end: number): void {
    switch (id) {
      case SectionId.type:
        return this.#vector(end, () => this.#funcType(end));
      case SectionId.import:
        return this.#vector(end, () => this.#import(end));
      case SectionId.table:
        return this.#vector(end, () => this.#table(end));
      case SectionId.memory:
        return this.#vector(end, () => this.#memory(end));
      case SectionId.global:
        return this.#vector(end, () => {
          this.#valueType(end);
          this.#mutability(end);
          this.#constExpr(end);
        });
      case SectionId.tag:
        return this.refuse(
          "it declares exception tags (the exception-handling proposal), which this sandbox does " +
            "not support; compile without -fwasm-exceptions",
        );
      case SectionId.code:
        return this.#vector(end, () => this.#codeLocals(end));
      case SectionId.function:
      case SectionId.export:
      case SectionId.element:
      case SectionId.data:
        // Their entries are V8's to check; their counts are ours, before V8 sizes anything by them.
        this.#count(end);
        this.#offset = end;
        return;
      default: // custom, start, data count
        this.#offset = end;
    }
  }

  /** Reads a count, checks it against the bytes left, then reads that many entries. */
  #vector(end: number, entry: () => void): void {
    const count = this.#count(end);
    for (let index = 0; index < count; index++) entry();
  }

  /** A vector's count, refused when more entries than bytes are left (each takes one at least). */
  #count(end: number): number {
    const count = this.#u32();
    if (count > end - this.#offset) {
      this.refuse(`it declares ${count} entries in ${end - this.#offset} bytes`);
    }
    return count;
  }

  #funcType(end: number): void {
    const form = this.#byte(end);
    if (GC_TYPE_FORMS.has(form)) {
      this.refuse(
        "it defines garbage-collected types (the GC proposal: structs, arrays or recursive " +
          "types), which this sandbox does not support; compile for plain wasm32-wasip1",
      );
    }
    if (form !== FUNC_TYPE) this.refuse(`it has a type of unknown form 0x${form.toString(16)}`);
    this.#vector(end, () => this.#valueType(end)); // parameters
    this.#vector(end, () => this.#valueType(end)); // results
    this.#types += 1;
  }

  #valueType(end: number): void {
    const type = this.#byte(end);
    if (NUMERIC_TYPES.has(type) || type === FUNCREF || type === EXTERNREF) return;
    this.refuse(
      `it uses the value type 0x${type.toString(16)} (a reference type of the GC or ` +
        "exception-handling proposals); only numbers, vectors, funcref and externref are supported",
    );
  }

  #import(end: number): void {
    const module = this.#name(end);
    const field = this.#name(end);
    const kind = this.#byte(end);
    const what = `"${module}"."${field}"`;
    switch (kind) {
      case 0: {
        const type = this.#u32();
        if (type >= this.#types) {
          this.refuse(`its import ${what} names type ${type}, which is not defined`);
        }
        return;
      }
      case 2:
        return this.refuse(
          `it imports its memory (${what}) instead of defining it, so memory_limit_mb cannot hold it`,
        );
      default:
        return this.refuse(
          `it imports a ${
            IMPORT_KINDS[kind] ?? `kind ${kind}`
          } (${what}); only functions may be imported (from wasi_snapshot_preview1)`,
        );
    }
  }

  #table(end: number): void {
    if (this.bytes[this.#offset] === 0x40) {
      this.refuse("it declares a table with an initializer expression (GC proposal)");
    }
    const type = this.#byte(end);
    if (type !== FUNCREF && type !== EXTERNREF) {
      this.refuse(`it declares a table of type 0x${type.toString(16)}; only funcref and externref`);
    }
    const flags = this.#byte(end);
    if (flags & ~0x01) this.refuse("it declares a 64-bit or shared table, which is not supported");
    const min = this.#u32();
    const max = flags & 0x01 ? this.#u32() : undefined;
    if (min > MAX_TABLE_ENTRIES || (max !== undefined && max > MAX_TABLE_ENTRIES)) {
      this.refuse(
        `it declares a table of ${
          Math.max(min, max ?? 0)
        } entries, over the limit of ${MAX_TABLE_ENTRIES}`,
      );
    }
    this.#tables += 1;
    if (this.#tables > 1) {
      this.refuse(
        "it declares more than one table (the reference-types proposal's multiple tables)",
      );
    }
  }

  #memory(end: number): void {
    const flags = this.#byte(end);
    if (flags & 0x02) this.refuse("it declares a shared memory (threads), which is not supported");
    if (flags & 0x04) this.refuse("it declares a 64-bit memory (memory64), which is not supported");
    if (flags & ~0x01) this.refuse(`its memory has unknown flags 0x${flags.toString(16)}`);
    this.#u32();
    if (flags & 0x01) this.#u32();
    this.#memories += 1;
    if (this.#memories > 1) {
      this.refuse("it declares more than one memory (multi-memory), which is not supported");
    }
  }

  #mutability(end: number): void {
    if (this.#byte(end) > 1) this.refuse("it declares a global of unknown mutability");
  }

  /** Moves past a constant expression of the opcodes in CONST_OPS. */
  #constExpr(end: number): void {
    for (;;) {
      const op = this.#byte(end);
      if (op === END) return;
      const immediate = CONST_OPS[op];
      if (immediate === undefined) {
        this.refuse(
          `it has a constant expression with opcode 0x${op.toString(16)}, not supported here`,
        );
      }
      if (immediate === "s" || immediate === "u") this.#skipLeb(end);
      else if (immediate === "heap") this.#heapType(end);
      else if (immediate === "v128") {
        if (this.#u32() !== 0x0c) {
          this.refuse("it has a constant expression with a vector opcode other than v128.const");
        }
        this.#skip(16, end);
      } else this.#skip(immediate, end);
    }
  }

  #heapType(end: number): void {
    const type = this.#byte(end);
    if (type !== FUNCREF && type !== EXTERNREF) {
      this.refuse(
        `it uses the heap type 0x${type.toString(16)} (GC proposal), which is not supported`,
      );
    }
  }

  /** A function body's local declarations; the instructions are V8's to check. */
  #codeLocals(end: number): void {
    const size = this.#u32();
    const bodyEnd = this.#offset + size;
    if (bodyEnd > end) this.#truncated();
    this.#vector(bodyEnd, () => {
      this.#u32(); // how many locals of this type: V8 bounds the total
      this.#valueType(bodyEnd);
    });
    this.#offset = bodyEnd;
  }

  #name(end: number): string {
    const length = this.#u32();
    if (this.#offset + length > end) this.#truncated();
    const name = new TextDecoder().decode(this.bytes.subarray(this.#offset, this.#offset + length));
    this.#offset += length;
    return name.length > 64 ? name.slice(0, 61) + "..." : name;
  }

  #byte(end = this.bytes.length): number {
    if (this.#offset >= end) this.#truncated();
    return this.bytes[this.#offset++]!;
  }

  /** An unsigned LEB128 of at most 5 bytes and 32 bits, as the format requires. */
  #u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.#byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffff_ffff) this.refuse("it has a number too large for 32 bits");
        return result;
      }
    }
    return this.refuse("it has a number longer than 5 bytes");
  }

  #skipLeb(end: number): void {
    for (let length = 0; length < 10; length++) {
      if ((this.#byte(end) & 0x80) === 0) return;
    }
    this.refuse("it has a number longer than 10 bytes");
  }

  #skip(count: number, end: number): void {
    if (this.#offset + count > end) this.#truncated();
    this.#offset += count;
  }

  #truncated(): never {
    return this.refuse("it is cut short (a section, number or name runs past its end)");
  }
}

const SECTION_ORDER: number[] = [
  SectionId.custom,
  SectionId.type,
  SectionId.import,
  SectionId.function,
  SectionId.table,
  SectionId.memory,
  SectionId.tag,
  SectionId.global,
  SectionId.export,
  SectionId.start,
  SectionId.element,
  SectionId.dataCount,
  SectionId.code,
  SectionId.data,
];
