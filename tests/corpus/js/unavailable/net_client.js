const net = require("net");
net.connect(80, "example.com");
