const b = Buffer.from("héllo wörld");
console.log(b.length, Buffer.byteLength("héllo"), b.toString("hex"), b.toString("base64"));
console.log(Buffer.from("aGVsbG8=", "base64").toString(), Buffer.from("68656c6c6f", "hex").toString("utf8"));
console.log(Buffer.concat([Buffer.from("ab"), Buffer.from("cd")]).toString(), Buffer.alloc(3), Buffer.alloc(2, 7));
const c = Buffer.from([1, 2, 3, 4]);
console.log(c.readUInt16BE(0), c.readUInt32LE(0), c.slice(1, 3), c.equals(Buffer.from([1, 2, 3, 4])), Buffer.isBuffer(c));
console.log(JSON.stringify(Buffer.from("A")), b.subarray(0, 2).toString("latin1"), Buffer.from("x").toString("base64url"));
