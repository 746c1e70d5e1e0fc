const d = new Date(Date.UTC(2024, 1, 28, 12, 30));
const next = new Date(d.getTime() + 24 * 3600 * 1000);
console.log(d.toISOString(), next.toISOString(), next.getUTCDate(), d < next);
console.log({ d }, [d], JSON.stringify({ d }));
const days = (a, b) => Math.round((b - a) / 86400000);
console.log(days(new Date("2024-01-01"), new Date("2024-12-25")), new Date("invalid").getTime());
console.log(Math.round(2.5), Math.round(-2.5), (1.005).toFixed(2), Number.parseFloat("3.14abc"), 2 ** 53 + 1);
console.log(0.1 * 3, 1 / 3, 100 / 7, -1e-7, 123e20, 2 ** 64, Number.MAX_SAFE_INTEGER, 5e-324);
