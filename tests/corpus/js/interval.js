let n = 0;
const id = setInterval(() => {
  n++;
  console.log("tick", n);
  if (n === 3) clearInterval(id);
}, 2);
const t = setTimeout(() => console.log("cancelled"), 1);
clearTimeout(t);
const u = setTimeout(() => console.log("unref never runs"), 100000);
u.unref();
