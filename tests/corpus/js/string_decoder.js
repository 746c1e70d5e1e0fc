const { StringDecoder } = require("string_decoder");
const d = new StringDecoder("utf8");
const euro = Buffer.from("€");
console.log(JSON.stringify(d.write(euro.subarray(0, 1))), d.write(euro.subarray(1)), d.end());
const qs = require("querystring");
console.log(qs.parse("a=1&b=x%20y&a=2"), qs.stringify({ q: "a b", n: 1 }));
