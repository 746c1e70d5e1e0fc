const path = require("path");
console.log(path.join("/a/b", "../c", "./d.txt"), path.resolve("/base", "x/y", "../z"), path.normalize("/a//b/../c/."));
console.log(path.dirname("/a/b/c.txt"), path.basename("/a/b/c.txt"), path.basename("/a/b/c.txt", ".txt"), path.extname("x.tar.gz"));
console.log(path.relative("/data/a/b", "/data/c"), path.isAbsolute("./x"), path.sep, path.delimiter);
console.log(path.parse("/home/u/file.md"), path.format({ dir: "/tmp", name: "f", ext: ".js" }));
console.log(path.extname(".bashrc"), path.basename("/a/b/"), path.posix === path, path.join(""));
