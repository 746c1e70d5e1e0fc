// Copyright the runno_mcp authors. MIT license.
// The binary differences between wasi_snapshot_preview1 and wasi_unstable
// (preview0). The syscall table is built once per ABI from the same code;
// everything not listed here (errnos, rights, oflags, fdstat, dirent, event,
// prestat) is laid out the same in both (checked against the witx).

import { WHENCE_CUR, WHENCE_END, WHENCE_SET } from "./constants.ts";
import type { Filestat } from "./fd.ts";
import type { GuestMemory } from "./memory.ts";
import { SUBSCRIPTION_PREVIEW0, SUBSCRIPTION_PREVIEW1, type SubscriptionLayout } from "./poll.ts";

/** How one WASI version encodes the values that differ between versions. */
export interface Abi {
  /** Import module name. */
  module: string;
  /** Layout of poll_oneoff subscriptions. */
  subscription: SubscriptionLayout;
  /** Writes a filestat at `ptr`. */
  writeFilestat(memory: GuestMemory, ptr: number, stat: Filestat): void;
  /** Maps a whence value to preview1 numbering; undefined when invalid. */
  whence(value: number): number | undefined;
}

/** wasi_snapshot_preview1. */
export const PREVIEW1: Abi = {
  module: "wasi_snapshot_preview1",
  subscription: SUBSCRIPTION_PREVIEW1,
  writeFilestat(memory: GuestMemory, ptr: number, stat: Filestat): void {
    memory.filestat(ptr, stat);
  },
  whence(value: number): number | undefined {
    return value <= WHENCE_END ? value : undefined;
  },
};

const PREVIEW0_WHENCE = [WHENCE_CUR, WHENCE_END, WHENCE_SET];

/** wasi_unstable: whence is CUR=0, END=1, SET=2; filestat.nlink is u32 (56-byte struct); clock subscriptions carry an extra u64 identifier. */
export const PREVIEW0: Abi = {
  module: "wasi_unstable",
  subscription: SUBSCRIPTION_PREVIEW0,
  writeFilestat(memory: GuestMemory, ptr: number, stat: Filestat): void {
    memory.filestat0(ptr, stat);
  },
  whence(value: number): number | undefined {
    return PREVIEW0_WHENCE[value];
  },
};
