import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { assemble, name } from "./_test_wasm.ts";
import { addInterruptChecks, INTERRUPT_EXPORT } from "./wasm_interrupt.ts";

/**
 * A module with one memory whose export `spin` loops forever, calling the import `env.tick`
 * once per iteration.
 */
function spinner(): Uint8Array<ArrayBuffer> {
  return assemble(
    [1, [1, 0x60, 0, 0]], // type 0: () -> ()
    [2, [1, ...name("env"), ...name("tick"), 0x00, 0]], // import env.tick: type 0
    [3, [1, 0]], // function 1: type 0
    [5, [1, 0, 1]], // one memory, 1 page
    [7, [1, ...name("spin"), 0x00, 1]],
    [10, [1, 9, 0, 0x03, 0x40, 0x10, 0, 0x0c, 0, 0x0b, 0x0b]], // loop; call tick; br 0; end; end
  );
}

Deno.test("addInterruptChecks() ends a busy loop at its next iteration once the flag is set", () => {
  let ticks = 0;
  const interrupt: { flag?: Int32Array } = {};
  const instance = new WebAssembly.Instance(new WebAssembly.Module(addInterruptChecks(spinner())), {
    env: {
      tick: () => {
        ticks++;
        if (ticks === 1000) Atomics.store(interrupt.flag!, 0, 1); // another thread would do this
      },
    },
  });
  const memory = instance.exports[INTERRUPT_EXPORT] as WebAssembly.Memory;
  interrupt.flag = new Int32Array(memory.buffer);
  assertEquals(memory.buffer instanceof SharedArrayBuffer, true);
  assertThrows(() => (instance.exports.spin as () => void)(), /unreachable/);
  assertEquals(ticks, 1000);
});

Deno.test("addInterruptChecks() refuses a module without exactly one memory of its own", () => {
  assertThrows(
    () => addInterruptChecks(assemble([1, [1, 0x60, 0, 0]])),
    /must define exactly one memory/,
  );
});
