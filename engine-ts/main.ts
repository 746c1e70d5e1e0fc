/**
 * The engine process: reads length-prefixed JSON-RPC frames on stdin, answers on stdout,
 * logs to stderr only. Exits when stdin closes, so it never outlives its parent.
 *
 * Usage: deno run <permissions> main.ts --langs-dir DIR --manifest FILE --memory-limit-mb N
 *   [--derived-dir DIR] [--pool-size N] [--warm python,ruby] [--snapshot-ahead python,quickjs]
 *   [--max-fs-mb 128]
 *
 * --derived-dir holds the snapshot binaries derive.ts built; without it (or without a
 * runtime's file there) that runtime's runs boot from scratch. --snapshot-ahead takes those
 * runtimes' snapshots at start instead of at their first run. --memory-limit-mb is the default
 * memory_limit_mb of a run: warmed modules and snapshots are made at it. It is required, so the default lives in one place, the
 * Python side's RunOptions, and never drifts from a literal here.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { encodeFrame, readFrames } from "./src/framing.ts";
import { MAX_FRAME_BYTES } from "./src/protocol.ts";
import { Runner } from "./src/runner.ts";
import { Runtimes } from "./src/runtimes.ts";
import { Server } from "./src/server.ts";
import { WorkerPool } from "./src/worker_pool.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "langs-dir": { type: "string" },
      manifest: { type: "string" },
      "memory-limit-mb": { type: "string" },
      "pool-size": { type: "string", default: "2" },
      warm: { type: "string", default: "" },
      "snapshot-ahead": { type: "string", default: "" },
      "derived-dir": { type: "string" },
      "max-fs-mb": { type: "string", default: "128" },
    },
  });
  const langsDir = values["langs-dir"];
  const manifestPath = values.manifest;
  const memoryLimit = values["memory-limit-mb"];
  if (!langsDir || !manifestPath || memoryLimit === undefined) {
    console.error(
      "Cannot start the engine: --langs-dir, --manifest and --memory-limit-mb are required",
    );
    Deno.exit(2);
  }
  const defaultMemoryMb = Number(memoryLimit);
  if (!Number.isSafeInteger(defaultMemoryMb) || defaultMemoryMb < 1) {
    console.error(
      `Cannot start the engine: --memory-limit-mb must be a positive integer, got "${memoryLimit}"`,
    );
    Deno.exit(2);
  }
  const runtimes = await Runtimes.load(manifestPath, langsDir, values["derived-dir"]);
  const pool = new WorkerPool(Number(values["pool-size"]));
  const runner = new Runner(runtimes, pool, {
    defaultMemoryMb,
    maxFsBytes: Number(values["max-fs-mb"]) * 2 ** 20,
  });

  const stdout = Deno.stdout;
  // Frames are written whole and in order: one write chain for the whole process.
  let writing = Promise.resolve();
  const send = (message: unknown) => {
    const frame = encodeFrame(message);
    writing = writing.then(() => writeAll(stdout, frame)).catch((err) => {
      console.error("Cannot write to stdout, stopping:", err);
      Deno.exit(1);
    });
  };
  const server = new Server({ runtimes, runner, send });

  for (const id of values.warm.split(",").filter(Boolean)) {
    if (runtimes.isInstalled(id)) {
      runner.warm(id).catch((err) => console.error(`Cannot warm "${id}":`, err));
    }
  }

  const ahead = values["snapshot-ahead"].split(",").filter((id) =>
    id !== "" && runtimes.isInstalled(id)
  );
  runner.snapshotAhead(ahead).catch((err) => console.error("Cannot take snapshots:", err));

  const reading = (async () => {
    for await (const frame of readFrames(Deno.stdin.readable, MAX_FRAME_BYTES)) {
      if (frame.kind === "oversized") server.rejectOversized(frame.size, MAX_FRAME_BYTES);
      else server.handleFrame(frame.body);
    }
  })();
  await Promise.race([reading, server.closed]);
  server.abortAll();
  await writing;
  runner.close();
  pool.close();
  Deno.exit(0);
}

async function writeAll(writer: typeof Deno.stdout, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await writer.write(bytes.subarray(written));
}

if (import.meta.main) await main();
