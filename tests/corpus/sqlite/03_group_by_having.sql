-- Aggregation with GROUP BY and HAVING
.headers on
.mode table
CREATE TABLE sales (region TEXT, rep TEXT, amount INTEGER);
INSERT INTO sales VALUES
  ('North','Ann',100),('North','Ann',250),('North','Bob',75),
  ('South','Cat',300),('South','Cat',20),('South','Dan',500),
  ('East','Eli',40),('East','Eli',60),('West','Fay',1000);
SELECT region, count(*) AS deals, sum(amount) AS total, min(amount) AS smallest, max(amount) AS largest
FROM sales GROUP BY region ORDER BY total DESC;
SELECT region, rep, sum(amount) AS total
FROM sales GROUP BY region, rep HAVING sum(amount) > 200 ORDER BY region, rep;
SELECT region, round(avg(amount), 1) AS avg_amount FROM sales GROUP BY region HAVING count(*) >= 2 ORDER BY region;
