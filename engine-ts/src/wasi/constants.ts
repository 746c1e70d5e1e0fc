// Copyright the runno_mcp authors. MIT license.
// WASI preview1 constants (witx `typenames.witx`); preview0 shares the values
// unless noted in `preview0.ts`.

/** WASI errno values. */
export const ERRNO_SUCCESS = 0;
/** Argument list too long. */
export const ERRNO_2BIG = 1;
/** Permission denied. */
export const ERRNO_ACCES = 2;
/** Resource unavailable, try again. */
export const ERRNO_AGAIN = 6;
/** Bad file descriptor. */
export const ERRNO_BADF = 8;
/** Device or resource busy. */
export const ERRNO_BUSY = 10;
/** File exists. */
export const ERRNO_EXIST = 20;
/** Bad address. */
export const ERRNO_FAULT = 21;
/** File too large. */
export const ERRNO_FBIG = 22;
/** Illegal byte sequence. */
export const ERRNO_ILSEQ = 25;
/** Invalid argument. */
export const ERRNO_INVAL = 28;
/** I/O error. */
export const ERRNO_IO = 29;
/** Is a directory. */
export const ERRNO_ISDIR = 31;
/** Too many levels of symbolic links. */
export const ERRNO_LOOP = 32;
/** File descriptor value too large. */
export const ERRNO_MFILE = 33;
/** Filename too long. */
export const ERRNO_NAMETOOLONG = 37;
/** No such file or directory. */
export const ERRNO_NOENT = 44;
/** Not enough space. */
export const ERRNO_NOMEM = 48;
/** No space left on device. */
export const ERRNO_NOSPC = 51;
/** Function not supported. */
export const ERRNO_NOSYS = 52;
/** Not a directory or a symbolic link to a directory. */
export const ERRNO_NOTDIR = 54;
/** Directory not empty. */
export const ERRNO_NOTEMPTY = 55;
/** Not a socket. */
export const ERRNO_NOTSOCK = 57;
/** Not supported, or operation not supported on socket. */
export const ERRNO_NOTSUP = 58;
/** Inappropriate I/O control operation. */
export const ERRNO_NOTTY = 59;
/** No such device or address. */
export const ERRNO_NXIO = 60;
/** Value too large to be stored in data type. */
export const ERRNO_OVERFLOW = 61;
/** Operation not permitted. */
export const ERRNO_PERM = 63;
/** Broken pipe. */
export const ERRNO_PIPE = 64;
/** Invalid seek. */
export const ERRNO_SPIPE = 70;
/** Cross-device link. */
export const ERRNO_XDEV = 75;
/** Extension: capabilities insufficient. */
export const ERRNO_NOTCAPABLE = 76;

/** Clock ids. */
export const CLOCKID_REALTIME = 0;
/** Monotonic clock. */
export const CLOCKID_MONOTONIC = 1;
/** CPU time of the process. */
export const CLOCKID_PROCESS_CPUTIME_ID = 2;
/** CPU time of the thread. */
export const CLOCKID_THREAD_CPUTIME_ID = 3;

/** File types. */
export const FILETYPE_UNKNOWN = 0;
/** Block device. */
export const FILETYPE_BLOCK_DEVICE = 1;
/** Character device. */
export const FILETYPE_CHARACTER_DEVICE = 2;
/** Directory. */
export const FILETYPE_DIRECTORY = 3;
/** Regular file. */
export const FILETYPE_REGULAR_FILE = 4;
/** Datagram socket. */
export const FILETYPE_SOCKET_DGRAM = 5;
/** Stream socket. */
export const FILETYPE_SOCKET_STREAM = 6;
/** Symbolic link. */
export const FILETYPE_SYMBOLIC_LINK = 7;

/** Seek relative to start (preview1 numbering). */
export const WHENCE_SET = 0;
/** Seek relative to current position (preview1 numbering). */
export const WHENCE_CUR = 1;
/** Seek relative to end (preview1 numbering). */
export const WHENCE_END = 2;

/** fdflags: append mode. */
export const FDFLAGS_APPEND = 1 << 0;
/** fdflags: write data integrity. */
export const FDFLAGS_DSYNC = 1 << 1;
/** fdflags: non-blocking mode. */
export const FDFLAGS_NONBLOCK = 1 << 2;
/** fdflags: synchronized read I/O. */
export const FDFLAGS_RSYNC = 1 << 3;
/** fdflags: write file integrity. */
export const FDFLAGS_SYNC = 1 << 4;

/** lookupflags: follow a final symlink. */
export const LOOKUPFLAGS_SYMLINK_FOLLOW = 1 << 0;

/** oflags: create if missing. */
export const OFLAGS_CREAT = 1 << 0;
/** oflags: fail unless a directory. */
export const OFLAGS_DIRECTORY = 1 << 1;
/** oflags: fail if it exists. */
export const OFLAGS_EXCL = 1 << 2;
/** oflags: truncate to size 0. */
export const OFLAGS_TRUNC = 1 << 3;

/** fstflags: set atime to the given value. */
export const FSTFLAGS_ATIM = 1 << 0;
/** fstflags: set atime to now. */
export const FSTFLAGS_ATIM_NOW = 1 << 1;
/** fstflags: set mtime to the given value. */
export const FSTFLAGS_MTIM = 1 << 2;
/** fstflags: set mtime to now. */
export const FSTFLAGS_MTIM_NOW = 1 << 3;

/** Rights bits. */
export const RIGHTS_FD_DATASYNC = 1n << 0n;
/** Right to read. */
export const RIGHTS_FD_READ = 1n << 1n;
/** Right to seek. */
export const RIGHTS_FD_SEEK = 1n << 2n;
/** Right to set fd flags. */
export const RIGHTS_FD_FDSTAT_SET_FLAGS = 1n << 3n;
/** Right to sync. */
export const RIGHTS_FD_SYNC = 1n << 4n;
/** Right to tell. */
export const RIGHTS_FD_TELL = 1n << 5n;
/** Right to write. */
export const RIGHTS_FD_WRITE = 1n << 6n;
/** Right to advise. */
export const RIGHTS_FD_ADVISE = 1n << 7n;
/** Right to allocate. */
export const RIGHTS_FD_ALLOCATE = 1n << 8n;
/** Right to create directories. */
export const RIGHTS_PATH_CREATE_DIRECTORY = 1n << 9n;
/** Right to create files. */
export const RIGHTS_PATH_CREATE_FILE = 1n << 10n;
/** Right to be a link source. */
export const RIGHTS_PATH_LINK_SOURCE = 1n << 11n;
/** Right to be a link target. */
export const RIGHTS_PATH_LINK_TARGET = 1n << 12n;
/** Right to open paths. */
export const RIGHTS_PATH_OPEN = 1n << 13n;
/** Right to read directories. */
export const RIGHTS_FD_READDIR = 1n << 14n;
/** Right to read links. */
export const RIGHTS_PATH_READLINK = 1n << 15n;
/** Right to be a rename source. */
export const RIGHTS_PATH_RENAME_SOURCE = 1n << 16n;
/** Right to be a rename target. */
export const RIGHTS_PATH_RENAME_TARGET = 1n << 17n;
/** Right to stat paths. */
export const RIGHTS_PATH_FILESTAT_GET = 1n << 18n;
/** Right to resize paths. */
export const RIGHTS_PATH_FILESTAT_SET_SIZE = 1n << 19n;
/** Right to set path times. */
export const RIGHTS_PATH_FILESTAT_SET_TIMES = 1n << 20n;
/** Right to stat fds. */
export const RIGHTS_FD_FILESTAT_GET = 1n << 21n;
/** Right to resize fds. */
export const RIGHTS_FD_FILESTAT_SET_SIZE = 1n << 22n;
/** Right to set fd times. */
export const RIGHTS_FD_FILESTAT_SET_TIMES = 1n << 23n;
/** Right to create symlinks. */
export const RIGHTS_PATH_SYMLINK = 1n << 24n;
/** Right to remove directories. */
export const RIGHTS_PATH_REMOVE_DIRECTORY = 1n << 25n;
/** Right to unlink files. */
export const RIGHTS_PATH_UNLINK_FILE = 1n << 26n;
/** Right to poll for read/write readiness. */
export const RIGHTS_POLL_FD_READWRITE = 1n << 27n;
/** Right to shut sockets down. */
export const RIGHTS_SOCK_SHUTDOWN = 1n << 28n;
/** Right to accept connections. */
export const RIGHTS_SOCK_ACCEPT = 1n << 29n;

/** Every right. */
export const RIGHTS_ALL = (1n << 30n) - 1n;

/** Rights a regular file fd may hold. */
export const RIGHTS_FILE = RIGHTS_FD_DATASYNC | RIGHTS_FD_READ |
  RIGHTS_FD_SEEK | RIGHTS_FD_FDSTAT_SET_FLAGS | RIGHTS_FD_SYNC |
  RIGHTS_FD_TELL | RIGHTS_FD_WRITE | RIGHTS_FD_ADVISE | RIGHTS_FD_ALLOCATE |
  RIGHTS_FD_FILESTAT_GET | RIGHTS_FD_FILESTAT_SET_SIZE |
  RIGHTS_FD_FILESTAT_SET_TIMES | RIGHTS_POLL_FD_READWRITE;

/** Rights a directory fd may hold for itself. */
export const RIGHTS_DIRECTORY = RIGHTS_FD_FDSTAT_SET_FLAGS | RIGHTS_FD_SYNC |
  RIGHTS_FD_ADVISE | RIGHTS_PATH_CREATE_DIRECTORY | RIGHTS_PATH_CREATE_FILE |
  RIGHTS_PATH_LINK_SOURCE | RIGHTS_PATH_LINK_TARGET | RIGHTS_PATH_OPEN |
  RIGHTS_FD_READDIR | RIGHTS_PATH_READLINK | RIGHTS_PATH_RENAME_SOURCE |
  RIGHTS_PATH_RENAME_TARGET | RIGHTS_PATH_FILESTAT_GET |
  RIGHTS_PATH_FILESTAT_SET_SIZE | RIGHTS_PATH_FILESTAT_SET_TIMES |
  RIGHTS_FD_FILESTAT_GET | RIGHTS_FD_FILESTAT_SET_TIMES | RIGHTS_PATH_SYMLINK |
  RIGHTS_PATH_REMOVE_DIRECTORY | RIGHTS_PATH_UNLINK_FILE;

/** Rights inherited by fds opened through a directory fd. */
export const RIGHTS_DIRECTORY_INHERITING = RIGHTS_DIRECTORY | RIGHTS_FILE;

/** Rights of stdin/stdout/stderr. */
export const RIGHTS_STDIO = RIGHTS_FD_READ | RIGHTS_FD_WRITE |
  RIGHTS_FD_FDSTAT_SET_FLAGS | RIGHTS_FD_SYNC | RIGHTS_FD_DATASYNC |
  RIGHTS_FD_FILESTAT_GET | RIGHTS_POLL_FD_READWRITE;

/** Event types of poll_oneoff subscriptions. */
export const EVENTTYPE_CLOCK = 0;
/** File descriptor readable. */
export const EVENTTYPE_FD_READ = 1;
/** File descriptor writable. */
export const EVENTTYPE_FD_WRITE = 2;

/** subclockflags: the timeout is absolute. */
export const SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME = 1 << 0;

/** eventrwflags: peer hung up. */
export const EVENTRWFLAGS_FD_READWRITE_HANGUP = 1 << 0;

/** preopentype: directory. */
export const PREOPENTYPE_DIR = 0;

/** Advice values accepted by fd_advise (0..5). */
export const ADVICE_MAX = 5;
