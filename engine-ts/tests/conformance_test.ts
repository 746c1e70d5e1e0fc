// Copyright the runno_mcp authors. MIT license.
// The official WASI preview1 testsuite (tests/wasi-testsuite) against our
// WASI layer. Needs an unpacked copy of the suite (the Rust binaries come
// packed as rust-wasm.tar.xz) named by WASI_TESTSUITE_DIR:
//
//   DEST="$(mktemp -d)/wts" && cp -r tests/wasi-testsuite "$DEST" && \
//   R="$DEST/tests/rust/testsuite/wasm32-wasip1" && \
//   python3 -m tarfile -e "$R/rust-wasm.tar.xz" "$R"
//   WASI_TESTSUITE_DIR="$DEST" deno test --allow-read \
//     --allow-env=WASI_TESTSUITE_DIR engine-ts/tests/conformance_test.ts
//
// Rules (the suite's README): argv = [NAME.wasm, ...args], env exactly as
// given, `root` preopened as "/" (nothing when null), empty stdin, stdout
// and stderr are prefix checks, a trap counts as exit code 134. Each test
// gets a fresh MemoryFs. Known failures of the WASI layer are listed with a
// reason under "wasi_layer" in conformance_skip.json; any other failure fails
// the suite. ("wasi_runtime" lists what fails only through the public `wasi`
// runtime, tests/test_wasi_conformance.py, which always preopens "/".)

import { MemoryFs, Wasi } from "../src/wasi/mod.ts";

const SUITES = ["assemblyscript", "c", "rust"];
const TRAP_EXIT_CODE = 134;

interface TestSpec {
  args?: string[];
  env?: Record<string, string>;
  root?: string | null;
  exit_code?: number;
  stdout?: string;
  stderr?: string;
}

interface Outcome {
  pass: boolean;
  detail: string;
}

function suiteRoot(): string | undefined {
  try {
    return Deno.env.get("WASI_TESTSUITE_DIR");
  } catch {
    return undefined; // no --allow-env: the suite is skipped
  }
}

const root = suiteRoot();
const skips: Record<string, string> = JSON.parse(
  await Deno.readTextFile(new URL("./conformance_skip.json", import.meta.url)),
).wasi_layer;

async function loadDir(fs: MemoryFs, hostDir: string, guestDir: string) {
  fs.addDirectory(guestDir);
  for await (const entry of Deno.readDir(hostDir)) {
    const host = `${hostDir}/${entry.name}`;
    const guest = `${guestDir === "/" ? "" : guestDir}/${entry.name}`;
    if (entry.isDirectory) await loadDir(fs, host, guest);
    else if (entry.isFile) fs.addFile(guest, await Deno.readFile(host));
  }
}

async function runTest(dir: string, name: string): Promise<Outcome> {
  let spec: TestSpec = {};
  try {
    spec = JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`));
  } catch (error: unknown) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const fs = new MemoryFs();
  const rootDir = spec.root ?? null;
  if (rootDir !== null) await loadDir(fs, `${dir}/${rootDir}`, "/");
  const output: Record<1 | 2, Uint8Array[]> = { 1: [], 2: [] };
  const wasi = new Wasi({
    args: [`${name}.wasm`, ...(spec.args ?? [])],
    env: spec.env ?? {},
    fs,
    preopenRoot: rootDir !== null,
    stdin: new Uint8Array(0),
    onOutput(fd, bytes) {
      output[fd].push(bytes);
    },
  });
  const module = await WebAssembly.compile(
    await Deno.readFile(`${dir}/${name}.wasm`),
  );
  const instance = await WebAssembly.instantiate(
    module,
    wasi.getImports(module),
  );
  let code: number;
  let trap = "";
  try {
    code = wasi.start(instance);
  } catch (error: unknown) {
    // A trap, or a stack overflow (which V8 reports as a RangeError).
    const isTrap = error instanceof WebAssembly.RuntimeError ||
      (error instanceof RangeError && /call stack/i.test(error.message));
    if (!isTrap) throw error;
    code = TRAP_EXIT_CODE;
    trap = ` (trap: ${(error as Error).message})`;
  }
  const decode = (parts: Uint8Array[]) =>
    new TextDecoder().decode(
      parts.reduce((a, b) => {
        const out = new Uint8Array(a.byteLength + b.byteLength);
        out.set(a);
        out.set(b, a.byteLength);
        return out;
      }, new Uint8Array(0)),
    );
  const stdout = decode(output[1]);
  const stderr = decode(output[2]);
  const problems: string[] = [];
  const expected = spec.exit_code ?? 0;
  if (code !== expected) {
    problems.push(`exit code ${code}, expected ${expected}${trap}`);
  }
  if (spec.stdout !== undefined && !stdout.startsWith(spec.stdout)) {
    problems.push(`stdout ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  if (spec.stderr !== undefined && !stderr.startsWith(spec.stderr)) {
    problems.push(`stderr ${JSON.stringify(stderr.slice(0, 200))}`);
  }
  if (problems.length > 0 && stderr !== "" && spec.stderr === undefined) {
    problems.push(`stderr: ${stderr.slice(0, 400)}`);
  }
  return { pass: problems.length === 0, detail: problems.join("; ") };
}

for (const suite of SUITES) {
  Deno.test({
    name: `wasi-testsuite ${suite}`,
    ignore: root === undefined,
    async fn(t) {
      const dir = `${root}/tests/${suite}/testsuite/wasm32-wasip1`;
      const names: string[] = [];
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name.endsWith(".wasm")) {
          names.push(entry.name.slice(0, -".wasm".length));
        }
      }
      names.sort();
      let passed = 0;
      const regressions: string[] = [];
      const fixed: string[] = [];
      for (const name of names) {
        const key = `${suite}/${name}`;
        const skipReason = skips[key];
        await t.step({
          name,
          async fn() {
            const outcome = await runTest(dir, name);
            if (outcome.pass) {
              passed++;
              if (skipReason !== undefined) fixed.push(key);
            } else if (skipReason === undefined) {
              regressions.push(`${key}: ${outcome.detail}`);
              throw new Error(outcome.detail);
            } else {
              console.log(`  known failure (${skipReason}): ${outcome.detail}`);
            }
          },
        });
      }
      console.log(`${suite}: ${passed}/${names.length} pass`);
      if (fixed.length > 0) {
        console.log(`now passing, remove from the skip file: ${fixed.join(", ")}`);
      }
      if (regressions.length > 0) {
        throw new Error(`Unexpected failures:\n${regressions.join("\n")}`);
      }
    },
  });
}
