const os = require("os");
const crypto = require("crypto");
console.log(JSON.stringify(os.EOL), os.cpus().length >= 1, typeof os.tmpdir(), typeof os.platform());
const id = crypto.randomUUID();
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id));
const n = crypto.randomInt(10); console.log(n >= 0 && n < 10, crypto.getRandomValues(new Uint8Array(4)).length);
console.log(crypto.randomBytes(8).length, typeof globalThis.crypto.randomUUID);
