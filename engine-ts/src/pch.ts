/**
 * Precompiled headers: a runtime whose manifest entry has `pch` (clangpp) compiles every program
 * with `-include HEADER`; derive.ts precompiles HEADER once per install into the derived folder,
 * and the engine mounts that file at `HEADER.pch`, which clang's driver then uses in place of
 * the header (the same declarations, parsed once). Without it, or when it fails its check, runs
 * parse the header themselves: slower, never different.
 *
 * A PCH is named by everything clang checks when it loads one (`pchKey`): the compiler binary,
 * the base filesystem (the sysroot's headers), the header itself, and both argv.
 *
 * @module
 */

import { type DerivedInfo, fileSha256, sha256Hex, type SourceManifest } from "./derived.ts";

/** A runtime's precompiled header as the manifest spells it. */
export interface PchSpec {
  /** Guest path of the header every compile includes first (`-include`), a guest file. */
  header: string;
  /** The compiler's argv that precompiles `header` into `output` (same language flags). */
  argv: string[];
  /** Guest path the precompile writes; outside /tmp/.runno, whose files are never returned. */
  output: string;
}

/** The sidecar of a derived PCH (`<key>.json` beside `<key>.pch`). */
export interface PchInfo {
  kind: "pch";
  key: string;
  /** sha256 of the compiler binary that made it (runno_mcp/derived.py checks it cheaply). */
  source_sha256: string;
  sha256: string;
  bytes: number;
}

/** What pch.ts needs of a runtime's manifest entry. */
export interface PchRuntime {
  bundle?: string;
  base_fs: string[];
  guest_files?: Record<string, string>;
  pch?: PchSpec;
  steps: { binary: string; argv: string[] }[];
}

/**
 * The name (no extension) of runtime `id`'s PCH: a hash of the compiler's and base archives'
 * sha256 (from the manifest), `headerBytes`, the precompile argv and the compile step's argv.
 */
export async function pchKey(
  manifest: SourceManifest,
  id: string,
  spec: PchRuntime & { pch: PchSpec },
  headerBytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const compile = spec.steps[0]!;
  const described = JSON.stringify({
    compiler: fileSha256(manifest, spec, compile.binary),
    baseFs: spec.base_fs.map((name) => fileSha256(manifest, spec, name)),
    header: await sha256Hex(headerBytes),
    argv: spec.pch.argv,
    compile: compile.argv,
  });
  return `${id}-pch-${(await sha256Hex(new TextEncoder().encode(described))).slice(0, 16)}`;
}

/** Whether `info` (a derived sidecar) describes a PCH. */
export function isPchInfo(info: PchInfo | DerivedInfo): info is PchInfo {
  return (info as PchInfo).kind === "pch";
}
