exports.add = (a, b) => a + b;
exports.VERSION = "1.0";
