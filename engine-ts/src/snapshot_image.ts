/**
 * A snapshot on disk: derive.ts takes each runtime's snapshot once per install and writes it
 * beside the snapshot binary, so an engine process resumes runs without booting the
 * interpreter first (CPython ~0.35 s, python-sci ~5 s per process).
 *
 * An image is named by `imageKey`: the snapshot binary's sha256, everything the boot could
 * observe (argv, environment, preopens, the base filesystem's archives and guest files) and a
 * digest of the engine's own source (its WASI host, its gate). A change to any of them makes
 * the image stale: the engine then takes the snapshot itself, as before, and the next install
 * writes a new image. The sidecar carries the image's sha256, checked before it is decoded.
 *
 * Layout: MAGIC, a u32 (little-endian) header length, the header (JSON), then the ranges
 * (u32 pairs) and the packed bytes (see `Snapshot`).
 *
 * @module
 */

import { join } from "node:path";
import { sha256Hex } from "./derived.ts";
import type { Snapshot } from "./snapshot.ts";

const MAGIC = new TextEncoder().encode("runno-snapshot-1");

/** The header of an image: a Snapshot but its id and its two arrays. */
interface Header {
  pages: number;
  ranges: number;
  bytes: number;
  /** bigint values (an i64 global) as decimal strings marked with a trailing "n". */
  globals: [string, number | string][];
  stackData: number;
  gateSyscall: string;
  probes: string[];
  seeds: number[];
}

/** Thrown for bytes that are not a whole image of this format. */
export class ImageError extends Error {}

/** `snapshot` as image bytes. */
export function encodeImage(snapshot: Snapshot): Uint8Array<ArrayBuffer> {
  const header: Header = {
    pages: snapshot.pages,
    ranges: snapshot.ranges.length,
    bytes: snapshot.bytes.length,
    globals: snapshot.globals.map((
      [name, value],
    ) => [name, typeof value === "bigint" ? `${value}n` : value]),
    stackData: snapshot.stackData,
    gateSyscall: snapshot.gateSyscall,
    probes: snapshot.probes,
    seeds: snapshot.seeds,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const ranges = new Uint8Array(snapshot.ranges.length * 4);
  const view = new DataView(ranges.buffer);
  snapshot.ranges.forEach((value, index) => view.setUint32(index * 4, value, true));
  const out = new Uint8Array(
    MAGIC.length + 4 + json.length + ranges.length + snapshot.bytes.length,
  );
  let offset = 0;
  for (const part of [MAGIC, u32(json.length), json, ranges, snapshot.bytes]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The snapshot `image` holds, named `id`, its arrays in SharedArrayBuffers as a capture's are. */
export function decodeImage(image: Uint8Array, id: string): Snapshot {
  if (image.length < MAGIC.length + 4 || MAGIC.some((byte, index) => image[index] !== byte)) {
    throw new ImageError("it is not a snapshot image of this engine");
  }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  let offset = MAGIC.length + 4;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(image.subarray(offset, offset + headerLength)));
  } catch {
    throw new ImageError("its header is not JSON");
  }
  offset += headerLength;
  if (offset + header.ranges * 4 + header.bytes !== image.length) {
    throw new ImageError("its length does not match its header");
  }
  const ranges = new Uint32Array(new SharedArrayBuffer(header.ranges * 4));
  for (let index = 0; index < header.ranges; index++) {
    ranges[index] = view.getUint32(offset + index * 4, true);
  }
  offset += header.ranges * 4;
  const bytes = new Uint8Array(new SharedArrayBuffer(header.bytes));
  bytes.set(image.subarray(offset));
  return {
    id,
    pages: header.pages,
    ranges,
    bytes,
    globals: header.globals.map((
      [name, value],
    ) => [name, typeof value === "string" ? BigInt(value.slice(0, -1)) : value]),
    stackData: header.stackData,
    gateSyscall: header.gateSyscall,
    probes: header.probes,
    seeds: header.seeds,
  };
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

let engineDigest: Promise<string> | undefined;

/**
 * sha256 over the engine's own source and guest files (engine-ts/src and guest, tests
 * aside), once per process: what a boot observes of the engine.
 */
export function engineSourceDigest(): Promise<string> {
  engineDigest ??= (async () => {
    const root = new URL("..", import.meta.url).pathname;
    const files: string[] = [];
    for (const dir of ["src", "guest"]) await listFiles(join(root, dir), files);
    const parts: string[] = [];
    for (const file of files.sort()) {
      parts.push(`${file.slice(root.length)}\n${await sha256Hex(await Deno.readFile(file))}`);
    }
    return await sha256Hex(new TextEncoder().encode(parts.join("\n")));
  })();
  return engineDigest;
}

async function listFiles(dir: string, into: string[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await listFiles(path, into);
    else if (entry.isFile && !/(^_test|_test\.ts$)/.test(entry.name)) into.push(path);
  }
}
