// Runs the program named after this file in argv as `node PROGRAM` would: the prelude
// (ES2024 built-ins, a Node-shaped console, process, Buffer, require and the built-in modules
// in node_builtins.js, node_inspect.js and node.js beside this file) is set up first, before
// the program's file is opened, so it is in the runtime's snapshot and costs a run nothing.
import "/usr/local/lib/quickjs/node_builtins.js";
import { installGlobals, runEntry } from "/usr/local/lib/quickjs/node.js";

const [, entry, ...argv] = globalThis.args; // [this file, entry, ...the program's arguments]
installGlobals();
runEntry(entry, argv);
