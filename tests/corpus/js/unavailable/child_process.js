const { execSync } = require("node:child_process");
console.log(execSync("ls").toString());
