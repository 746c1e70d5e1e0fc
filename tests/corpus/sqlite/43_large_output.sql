-- Larger result sets (kept under the sandbox's default 64 KiB stdout cap): 1500 generated rows printed in list mode plus an aggregate over 200k rows
.mode list
.headers off
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
SELECT i, i * i, printf('row-%05d', i), hex(i) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
SELECT count(*), sum(i), sum(i % 7 = 0), max(length(CAST(i AS TEXT))) FROM n;
