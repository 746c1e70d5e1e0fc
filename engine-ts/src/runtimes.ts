/**
 * Per-runtime commands, built from langs/manifest.json: which binary each step runs,
 * with which argv, and which base filesystems the run starts from.
 *
 * `{entry}` in an argv template is the entry path; `{args}` expands to the caller's extra
 * arguments; `{compile_flags}` to the caller's compiler flags but `-l`, `{link_flags}` to its
 * `-l` flags. A binary named `fs:/path` is read from the run's own filesystem (a program
 * the previous step linked, or a caller's `.wasm` for the `wasi` runtime).
 *
 * @module
 */

import { join } from "node:path";
import {
  type DerivedImage,
  type DerivedInfo,
  derivedKey,
  fileSha256,
  sha256Hex,
  snapshotSource,
  type SourceManifest,
} from "./derived.ts";
import { type PchInfo, pchKey, type PchSpec } from "./pch.ts";
import { engineSourceDigest } from "./snapshot_image.ts";
import type { Preopen } from "./wasi/mod.ts";

/** A step of a runtime as the manifest spells it. */
export interface StepSpec {
  binary: string;
  argv: string[];
  env?: Record<string, string>;
  /** Prepare steps (compile, link) end the run when they fail. */
  role?: "compile" | "link";
  /** A reactor's entry export (after `_initialize`), whose i32 result is the exit code. */
  export?: string;
  /** Guest preopen name -> directory of the run's filesystem (see WasiOptions.preopens). */
  preopens?: Record<string, string>;
  /** Imported host functions the sandbox does not offer: each answers -1 ("no host"). */
  stub_imports?: string[];
  /** Lines put first on stderr when this prepare step fails saying something known. */
  hints?: StepHint[];
}

/**
 * A known failure of a prepare step (clang's "cannot use 'throw' with exceptions disabled"):
 * when the failed step's stderr contains `match`, `line` is written before it, so the first
 * line a reader sees says what the sandbox cannot do.
 */
export interface StepHint {
  match: string;
  line: string;
}

/** A runtime as the manifest spells it. */
export interface RuntimeSpec {
  language: string;
  version: string;
  entry: string;
  aliases: string[];
  base_fs: string[];
  /** Guest path -> file under engine-ts/guest/ added to every run (PHP's stdio prepend). */
  guest_files?: Record<string, string>;
  /** Its runs resume a snapshot of its booted interpreter (needs its derived binary). */
  snapshot?: boolean;
  /**
   * Its PRNG is seeded from the clock (in microseconds) while it boots (QuickJS's
   * `Math.random`): a snapshot finds that seed, and each restored run gets a random one.
   */
  clock_seeded_prng?: boolean;
  /** The optional bundle its files come from (installed on demand), if not the main package. */
  bundle?: string;
  /** Folders the runtime writes for itself (matplotlib's cache): made first, never returned. */
  scratch_dirs?: string[];
  /** A header every compile includes, precompiled once per install (pch.ts). */
  pch?: PchSpec;
  steps: StepSpec[];
}

/** The parts of langs/manifest.json the engine reads. */
/**
 * How the installer builds a language file no registry ships (the SQLite shell), inside the
 * sandbox: `toolchain`'s compiler runs each argv of `steps` over that runtime's base filesystem
 * plus `base_fs`, and `output` is the file. derive.ts runs it; the manifest pins the result.
 */
export interface BuildSpec {
  toolchain: string;
  base_fs: string[];
  steps: string[][];
  output: string;
}

export interface Manifest extends SourceManifest {
  files: Record<string, { sha256: string; build?: BuildSpec }>;
  /** How snapshot binaries are derived; part of their names (derived.ts). */
  snapshot_recipe: string;
  runtimes: Record<string, RuntimeSpec>;
}

/** A step ready for a worker: argv expanded, binary located. */
export interface ResolvedStep {
  /** Absolute host path of a language binary, or `fs:` + a guest path. */
  binary: string;
  argv: string[];
  env: Record<string, string>;
  role: "compile" | "link" | "run";
  /** The export to run instead of `_start` (a reactor's). */
  exportName?: string;
  preopens: Preopen[];
  stubImports: string[];
  hints: StepHint[];
}

/** The guest-supplied-binary runtime: runs the preview1 `.wasm` at the entry path. */
export const WASI_RUNTIME: RuntimeSpec = {
  language: "WebAssembly (WASI preview1)",
  version: "preview1",
  entry: "/main.wasm",
  aliases: [],
  base_fs: [],
  steps: [{ binary: "fs:{entry}", argv: ["{entry_name}", "{args}"] }],
};

/** Guest paths the engine writes for itself; never returned as the program's files. */
export const INTERMEDIATE_DIR = "/tmp/.runno";

/** The runtime table: manifest runtimes plus `wasi`, with their files' host paths. */
export class Runtimes {
  readonly #langsDir: string;
  readonly #derivedDir: string | undefined;
  readonly #manifest: Manifest;
  readonly #specs: Map<string, RuntimeSpec>;

  /** `derivedDir` holds the snapshot binaries derive.ts built, if any. */
  constructor(manifest: Manifest, langsDir: string, derivedDir?: string) {
    this.#langsDir = langsDir;
    this.#derivedDir = derivedDir;
    this.#manifest = manifest;
    this.#specs = new Map(Object.entries(manifest.runtimes));
    this.#specs.set("wasi", WASI_RUNTIME);
  }

  /** Reads and parses the manifest at `manifestPath`. */
  static async load(
    manifestPath: string,
    langsDir: string,
    derivedDir?: string,
  ): Promise<Runtimes> {
    const manifest = JSON.parse(await Deno.readTextFile(manifestPath)) as Manifest;
    return new Runtimes(manifest, langsDir, derivedDir);
  }

  /**
   * Runtime `id`'s snapshot binary (derive.ts) and the sha256 it must have, when one was
   * derived from this manifest's binary with this engine's recipe; the caller checks the hash
   * before it trusts the file.
   */
  async derived(
    id: string,
  ): Promise<
    { path: string; sha256: string; image?: DerivedImage & { path: string } } | undefined
  > {
    const sourceSha = snapshotSource(this.#manifest, id)?.sha256;
    if (this.#derivedDir === undefined || sourceSha === undefined) return undefined;
    const key = await derivedKey(id, sourceSha, this.#manifest.snapshot_recipe);
    let info: DerivedInfo;
    try {
      info = JSON.parse(await Deno.readTextFile(join(this.#derivedDir, `${key}.json`)));
    } catch {
      return undefined; // not derived (yet)
    }
    if (info.source_sha256 !== sourceSha || info.recipe !== this.#manifest.snapshot_recipe) {
      return undefined;
    }
    const image = info.image === undefined
      ? {}
      : { image: { ...info.image, path: join(this.#derivedDir, `${key}.snap`) } };
    return { path: join(this.#derivedDir, `${key}.wasm`), sha256: info.sha256, ...image };
  }

  /**
   * Runtime `id`'s precompiled header as derive.ts names it now: where its file and sidecar
   * are (or would be) and the guest path it is mounted at; undefined when it has none.
   */
  async pch(
    id: string,
  ): Promise<{ key: string; path: string; sidecar: string; guestPath: string } | undefined> {
    const spec = this.#specs.get(id);
    const header = spec?.pch === undefined ? undefined : this.guestFiles(id).get(spec.pch.header);
    if (spec?.pch === undefined || header === undefined || this.#derivedDir === undefined) {
      return undefined;
    }
    const key = await pchKey(
      this.#manifest,
      id,
      { ...spec, pch: spec.pch },
      await Deno.readFile(header),
    );
    return {
      key,
      path: join(this.#derivedDir, `${key}.pch`),
      sidecar: join(this.#derivedDir, `${key}.json`),
      guestPath: `${spec.pch.header}.pch`,
    };
  }

  /** Runtime `id`'s derived PCH and the sha256 it must have, when its sidecar names it. */
  async derivedPch(
    id: string,
  ): Promise<{ path: string; guestPath: string; sha256: string; bytes: number } | undefined> {
    const pch = await this.pch(id);
    if (pch === undefined) return undefined;
    try {
      const info = JSON.parse(await Deno.readTextFile(pch.sidecar)) as PchInfo;
      if (info.kind !== "pch" || info.key !== pch.key) return undefined;
      return { path: pch.path, guestPath: pch.guestPath, sha256: info.sha256, bytes: info.bytes };
    } catch {
      return undefined; // not derived (yet)
    }
  }

  /** The manifest, for derive.ts. */
  get manifest(): Manifest {
    return this.#manifest;
  }

  /**
   * What a snapshot image of runtime `id` taken from the snapshot binary `derivedSha256` must
   * be named: everything its boot could observe (snapshot_image.ts).
   */
  async imageKey(id: string, derivedSha256: string): Promise<string> {
    const spec = this.#specs.get(id);
    const [step] = spec === undefined ? [] : this.resolveSteps(id, spec.entry, [], {});
    if (spec === undefined || step === undefined) {
      throw new RangeError(`Cannot name a snapshot image of "${id}": it has no step`);
    }
    const guest: [string, string][] = [];
    for (const [guestPath, hostPath] of this.guestFiles(id)) {
      guest.push([guestPath, await sha256Hex(await Deno.readFile(hostPath))]);
    }
    const baseFs = spec.base_fs.map((name) => fileSha256(this.#manifest, spec, name));
    const described = JSON.stringify({
      derived: derivedSha256,
      argv: step.argv,
      env: step.env,
      preopens: step.preopens,
      baseFs,
      guest,
      scratch: spec.scratch_dirs ?? [],
      clockSeeded: spec.clock_seeded_prng ?? false,
      engine: await engineSourceDigest(),
    });
    return `${id}-${(await sha256Hex(new TextEncoder().encode(described))).slice(0, 16)}`;
  }

  /** Runtime ids, sorted. */
  get ids(): string[] {
    return [...this.#specs.keys()].sort();
  }

  /** The spec of runtime `id`, or undefined. */
  get(id: string): RuntimeSpec | undefined {
    return this.#specs.get(id);
  }

  /** Host paths of every file runtime `id` needs. */
  hostFiles(id: string): string[] {
    const spec = this.#specs.get(id);
    if (!spec) return [];
    const names = [
      ...spec.base_fs,
      ...spec.steps.map((step) => step.binary).filter((binary) => !binary.startsWith("fs:")),
    ];
    return names.map((name) => this.langFile(name));
  }

  /** Whether every file runtime `id` needs is present. */
  isInstalled(id: string): boolean {
    if (!this.#specs.has(id)) return false;
    return this.hostFiles(id).every((path) => {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    });
  }

  /** Guest path -> host path of the engine's own files for runtime `id`. */
  guestFiles(id: string): Map<string, string> {
    const files = this.#specs.get(id)?.guest_files ?? {};
    return new Map(
      Object.entries(files).map((
        [guest, name],
      ) => [guest, new URL(`../guest/${name}`, import.meta.url).pathname]),
    );
  }

  /** Folders runtime `id` writes for itself: made before the run, never returned. */
  scratchDirs(id: string): string[] {
    return this.#specs.get(id)?.scratch_dirs ?? [];
  }

  /** Whether runtime `id` compiles the program (and so takes compiler flags). */
  compiles(id: string): boolean {
    return this.#specs.get(id)?.steps.some((step) => step.role === "compile") ?? false;
  }

  /**
   * Host path of language file `name`: in the language folder, or in the derived folder for a
   * file the installer builds (`BuildSpec`), which derive.ts wrote there only if its sha256 is
   * the one the manifest pins.
   */
  langFile(name: string): string {
    const built = this.#manifest.files[name]?.build !== undefined;
    return built && this.#derivedDir !== undefined
      ? join(this.#derivedDir, name)
      : join(this.#langsDir, name);
  }

  /** Host paths of runtime `id`'s base filesystem archives. */
  baseFsPaths(id: string): string[] {
    return (this.#specs.get(id)?.base_fs ?? []).map((name) => join(this.#langsDir, name));
  }

  /** The steps of one run of runtime `id`. */
  resolveSteps(
    id: string,
    entry: string,
    args: string[],
    env: Record<string, string>,
    compilerFlags: string[] = [],
  ): ResolvedStep[] {
    const spec = this.#specs.get(id);
    if (!spec) throw new RangeError(`Cannot resolve runtime "${id}": it is not in the manifest`);
    const entryName = entry.slice(entry.lastIndexOf("/") + 1);
    const linkFlags = compilerFlags.filter((flag) => flag.startsWith("-l"));
    const compileFlags = compilerFlags.filter((flag) => !flag.startsWith("-l"));
    return spec.steps.map((step, index) => {
      const isLast = index === spec.steps.length - 1;
      const argv = step.argv.flatMap((part) => {
        if (part === "{args}") return isLast ? args : [];
        if (part === "{compile_flags}") return compileFlags;
        if (part === "{link_flags}") return linkFlags;
        return [part.replaceAll("{entry}", entry).replaceAll("{entry_name}", entryName)];
      });
      const binary = step.binary.startsWith("fs:")
        ? step.binary.replaceAll("{entry}", entry)
        : this.langFile(step.binary);
      return {
        binary,
        argv,
        // The caller's environment reaches the program only, never the compiler.
        env: isLast ? { ...step.env, ...env } : { ...step.env },
        role: step.role ?? "run",
        ...(step.export === undefined ? {} : { exportName: step.export }),
        preopens: Object.entries(step.preopens ?? {}).map(([guestPath, fsPath]) => ({
          guestPath,
          fsPath,
        })),
        stubImports: step.stub_imports ?? [],
        hints: step.hints ?? [],
      };
    });
  }
}
