-- Recursive CTE generating Fibonacci numbers and a counter
.headers on
.mode list
WITH RECURSIVE fib(n, a, b) AS (
  SELECT 1, 0, 1
  UNION ALL
  SELECT n + 1, b, a + b FROM fib WHERE n < 20
)
SELECT n, a AS fib FROM fib;
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt LIMIT 10)
SELECT group_concat(x * x, ',') AS squares FROM cnt;
WITH RECURSIVE fact(n, f) AS (SELECT 1, 1 UNION ALL SELECT n + 1, f * (n + 1) FROM fact WHERE n < 20)
SELECT n, f FROM fact WHERE n IN (5, 10, 20);
