-- Recursive CTE producing a calendar date series with gaps filled
.headers on
.mode column
CREATE TABLE visits (day TEXT, n INTEGER);
INSERT INTO visits VALUES ('2024-02-26',5),('2024-02-28',7),('2024-03-01',2),('2024-03-03',9);
WITH RECURSIVE days(d) AS (
  SELECT date('2024-02-25')
  UNION ALL
  SELECT date(d, '+1 day') FROM days WHERE d < '2024-03-04'
)
SELECT d AS day, strftime('%w', d) AS dow, coalesce(v.n, 0) AS visits,
  sum(coalesce(v.n, 0)) OVER (ORDER BY d) AS cumulative
FROM days LEFT JOIN visits v ON v.day = d ORDER BY d;
WITH RECURSIVE months(m) AS (
  SELECT '2024-01-01' UNION ALL SELECT date(m, '+1 month') FROM months WHERE m < '2024-12-01'
)
SELECT strftime('%Y-%m', m) AS month, date(m, '+1 month', '-1 day') AS last_day FROM months;
