const { Worker } = require("worker_threads");
new Worker("./w.js");
