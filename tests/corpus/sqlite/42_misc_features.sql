-- Misc modern SQL: UPDATE FROM (3.33), NULLS FIRST/LAST (3.30), FILTER, window frames with GROUPS, IS DISTINCT FROM, unhex
.headers on
.mode column
CREATE TABLE stock (item TEXT PRIMARY KEY, qty INTEGER);
CREATE TABLE deliveries (item TEXT, qty INTEGER);
INSERT INTO stock VALUES ('bolt', 10), ('nut', 5), ('gear', NULL);
INSERT INTO deliveries VALUES ('bolt', 3), ('bolt', 2), ('nut', 10);
UPDATE stock SET qty = coalesce(stock.qty, 0) + d.total
FROM (SELECT item, sum(qty) AS total FROM deliveries GROUP BY item) AS d WHERE d.item = stock.item;
SELECT * FROM stock ORDER BY qty NULLS FIRST, item;
SELECT * FROM stock ORDER BY qty DESC NULLS LAST, item;
SELECT count(*) FILTER (WHERE qty > 10) AS big, sum(qty) FILTER (WHERE item <> 'bolt') AS non_bolt FROM stock;
SELECT 1 IS DISTINCT FROM NULL AS d1, NULL IS NOT DISTINCT FROM NULL AS d2, unhex('414243') AS unhexed, max(3, 7, 5) AS scalar_max, min('b', 'a') AS scalar_min;
SELECT x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS grp_sum,
  sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS range_sum
FROM (SELECT column1 AS x FROM (VALUES (1),(2),(2),(4),(5)));
