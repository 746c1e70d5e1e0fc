/**
 * Base filesystems (Python's stdlib, the clang sysroot): unpacked once from their
 * `.tar.gz`, held in one SharedArrayBuffer per archive, and shared read-only by every run.
 *
 * Workers receive the buffer itself, never a copy, and the WASI layer copies a file only
 * when a guest writes to it.
 *
 * @module
 */

/** One entry of an unpacked archive; file bytes live at `offset` in the shared buffer. */
export interface BaseFsEntry {
  path: string;
  kind: "file" | "directory";
  offset: number;
  length: number;
  mtimeNs: bigint;
}

/** An unpacked archive, ready to post to a worker. */
export interface BaseFs {
  buffer: SharedArrayBuffer;
  entries: BaseFsEntry[];
}

const BLOCK = 512;

/** Reads and unpacks the tar archive at `path`: gzip-compressed unless it ends in `.tar`. */
export async function loadBaseFs(path: string): Promise<BaseFs> {
  if (path.endsWith(".tar")) return unpackTar(await Deno.readFile(path));
  const file = await Deno.open(path);
  const tar = new Uint8Array(
    await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
  );
  return unpackTar(tar);
}

/** Reads loose host files into a base filesystem, each at its guest path. */
export async function loadGuestFiles(files: Map<string, string>): Promise<BaseFs> {
  const records = await Promise.all(
    [...files].map(async ([path, host]) => ({ path, data: await Deno.readFile(host) })),
  );
  return pack(records.map((record) => ({ ...record, kind: "file" as const, mtime: 0 })));
}

/** A base filesystem of the given files, each at its guest path. */
export function filesBaseFs(files: { path: string; data: Uint8Array }[]): BaseFs {
  return pack(files.map((file) => ({ ...file, kind: "file" as const, mtime: 0 })));
}

/** Unpacks an uncompressed tar archive (ustar, with GNU and pax long names). */
export function unpackTar(tar: Uint8Array): BaseFs {
  const records: TarRecord[] = [];
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = parseOctal(header.subarray(124, 136));
    const mtime = parseOctal(header.subarray(136, 148));
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = readString(data);
      continue;
    }
    if (type === "x") {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === "g") continue;
    const prefix = readString(header.subarray(345, 500));
    const name = longName ??
      (prefix
        ? `${prefix}/${readString(header.subarray(0, 100))}`
        : readString(header.subarray(0, 100)));
    longName = undefined;
    const path = "/" + name.replace(/^\.?\/+/, "").replace(/\/+$/, "");
    if (path === "/") continue;
    if (type === "5") records.push({ path, kind: "directory", data: new Uint8Array(0), mtime });
    else if (type === "0" || type === "\0" || type === "7") {
      records.push({ path, kind: "file", data, mtime });
    }
  }
  return pack(records);
}

type TarRecord = { path: string; kind: "file" | "directory"; data: Uint8Array; mtime: number };

/** Copies records into one SharedArrayBuffer that every run's worker shares. */
function pack(records: TarRecord[]): BaseFs {
  const total = records.reduce((sum, record) => sum + record.data.length, 0);
  const buffer = new SharedArrayBuffer(total);
  const view = new Uint8Array(buffer);
  let at = 0;
  const entries = records.map((record) => {
    view.set(record.data, at);
    const entry: BaseFsEntry = {
      path: record.path,
      kind: record.kind,
      offset: at,
      length: record.data.length,
      mtimeNs: BigInt(record.mtime) * 1_000_000_000n,
    };
    at += record.data.length;
    return entry;
  });
  return { buffer, entries };
}

function parseOctal(field: Uint8Array): number {
  const text = readString(field).trim();
  return text ? parseInt(text, 8) : 0;
}

function readString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

function paxPath(data: Uint8Array): string | undefined {
  for (const line of new TextDecoder().decode(data).split("\n")) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}
