-- Typical data-question script: monthly revenue, top product per month, month-over-month growth
.headers on
.mode box
CREATE TABLE orders (id INTEGER PRIMARY KEY, ordered_at TEXT, product TEXT, qty INTEGER, unit_price REAL);
INSERT INTO orders (ordered_at, product, qty, unit_price) VALUES
  ('2024-01-03','apple',10,0.5),('2024-01-15','pear',4,0.8),('2024-01-20','apple',6,0.5),
  ('2024-02-02','melon',2,3.0),('2024-02-14','apple',20,0.45),('2024-02-28','pear',10,0.8),
  ('2024-03-01','melon',5,3.0),('2024-03-09','apple',3,0.5),('2024-03-30','pear',1,0.85);
WITH monthly AS (
  SELECT strftime('%Y-%m', ordered_at) AS month, sum(qty * unit_price) AS revenue
  FROM orders GROUP BY month
)
SELECT month, printf('%.2f', revenue) AS revenue,
  CASE WHEN lag(revenue) OVER w IS NULL THEN '-'
       ELSE printf('%+.1f%%', 100.0 * (revenue - lag(revenue) OVER w) / lag(revenue) OVER w) END AS growth
FROM monthly WINDOW w AS (ORDER BY month) ORDER BY month;
WITH per AS (
  SELECT strftime('%Y-%m', ordered_at) AS month, product, sum(qty * unit_price) AS rev
  FROM orders GROUP BY month, product
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY month ORDER BY rev DESC) AS rn FROM per
)
SELECT month, product AS top_product, round(rev, 2) AS revenue FROM ranked WHERE rn = 1 ORDER BY month;
SELECT product, sum(qty) AS units, round(sum(qty * unit_price) / sum(qty), 3) AS avg_price,
  round(100.0 * sum(qty * unit_price) / (SELECT sum(qty * unit_price) FROM orders), 1) AS pct_revenue
FROM orders GROUP BY product ORDER BY pct_revenue DESC;
