import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { FAILED_GROW_EXPORT, rewriteBody } from "./wasm_grow.ts";
import { assertCapped, capMemory, hitMemoryLimit, MemoryCapError, pagesOf } from "./wasm_memory.ts";
import { exists, LANGS_DIR } from "./wasi/_test_util.ts";
import { assemble, name } from "./_test_wasm.ts";

const I32 = 0x7f;

/**
 * `(memory (export "memory") 1)` and `(func (export "grow") (param i32) (result i32)
 * (memory.grow (local.get 0)))`: the hook reuses its `(i32) -> i32` type.
 */
const GROWER = assemble(
  [0x01, [0x01, 0x60, 0x01, I32, 0x01, I32]],
  [0x03, [0x01, 0x00]],
  [0x05, [0x01, 0x00, 0x01]],
  [0x07, [0x02, ...name("memory"), 0x02, 0x00, ...name("grow"), 0x00, 0x00]],
  [0x0a, [0x01, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b]],
);

/**
 * A module with no `(i32) -> i32` type, no global and no type of its own for the hook:
 * `(func (export "grow_five") (drop (memory.grow (i32.const 5))))`.
 */
const DROPPER = assemble(
  [0x01, [0x01, 0x60, 0x00, 0x00]],
  [0x03, [0x01, 0x00]],
  [0x05, [0x01, 0x00, 0x01]],
  [0x07, [0x02, ...name("memory"), 0x02, 0x00, ...name("grow_five"), 0x00, 0x00]],
  [0x0a, [0x01, 0x07, 0x00, 0x41, 0x05, 0x40, 0x00, 0x1a, 0x0b]],
);

function instantiate(binary: Uint8Array<ArrayBuffer>, maxPages: number): WebAssembly.Instance {
  return new WebAssembly.Instance(new WebAssembly.Module(capMemory(binary, maxPages)), {});
}

function failedGrow(instance: WebAssembly.Instance): number {
  return (instance.exports[FAILED_GROW_EXPORT] as WebAssembly.Global).value as number;
}

Deno.test("a grow past the cap fails in the guest and the hook records the pages it asked for", () => {
  const instance = instantiate(GROWER, 4);
  const grow = instance.exports.grow as (pages: number) => number;
  assertEquals(grow(2), 1);
  assertEquals(failedGrow(instance), 0);
  assertEquals(grow(5), -1);
  assertEquals(failedGrow(instance), 5);
  assertEquals((instance.exports.memory as WebAssembly.Memory).buffer.byteLength, 3 * 65536);
});

Deno.test("the hook gets a type, a global and an export of its own when the module has none", () => {
  const instance = instantiate(DROPPER, 4);
  (instance.exports.grow_five as () => void)();
  assertEquals(failedGrow(instance), 5);
});

Deno.test("hitMemoryLimit() names a failed grow past the cap however far below it the memory is", () => {
  const instance = instantiate(GROWER, pagesOf(64));
  const grow = instance.exports.grow as (pages: number) => number;
  assertEquals(hitMemoryLimit(instance, 64), false);
  assertEquals(grow(pagesOf(300)), -1);
  assertEquals(hitMemoryLimit(instance, 64), true);
});

Deno.test("capMemory() refuses a module that imports its memory, naming the import", () => {
  const importer = assemble([0x02, [0x01, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01]]);
  assertThrows(() => capMemory(importer, 4), (err: unknown) => {
    return err instanceof MemoryCapError && err.message.includes('"env.memory"') &&
      err.message.includes("memory_limit_mb");
  });
});

Deno.test("assertCapped() refuses a module whose memory did not go through capMemory", () => {
  assertThrows(() => assertCapped(new WebAssembly.Module(GROWER)), /not capped/);
  assertCapped(new WebAssembly.Module(capMemory(GROWER, 4)));
});

Deno.test("bytes that only look like memory.grow are left alone", () => {
  const call = new Uint8Array([0x10, 0x07]);
  // block (0x02 0x40: empty type) unreachable (0x00) end end
  assertEquals(rewriteBody(new Uint8Array([0x00, 0x02, 0x40, 0x00, 0x0b, 0x0b]), call), undefined);
  // i32.load offset=64 (0x28 0x02 0x40) on i32.const 0, and a v128.const holding 0x40 0x00
  const disguised = [0x41, 0x00, 0x28, 0x02, 0x40, 0x1a, 0xfd, 0x0c, ...Array(16).fill(0x40), 0x1a];
  const grow = [0x41, 0x01, 0x40, 0x00, 0x1a];
  assertEquals(
    rewriteBody(new Uint8Array([0x00, ...disguised, ...grow, 0x0b]), call),
    new Uint8Array([0x00, ...disguised, 0x41, 0x01, 0x10, 0x07, 0x1a, 0x0b]),
  );
});

const LANGUAGE_BINARIES = [
  "python-3.11.3.wasm",
  "ruby-3.2.0.wasm",
  "php-cgi-8.2.0.wasm",
  "wasmedge_quickjs.wasm",
  "sqlite.wasm",
];

Deno.test({
  name: "every language binary is still a valid module once capped and hooked",
  ignore: !(await exists(`${LANGS_DIR}/sqlite.wasm`)),
  async fn() {
    for (const file of LANGUAGE_BINARIES) {
      const capped = capMemory(await Deno.readFile(`${LANGS_DIR}/${file}`), pagesOf(64));
      assertEquals([file, WebAssembly.validate(capped)], [file, true]);
    }
  },
});
