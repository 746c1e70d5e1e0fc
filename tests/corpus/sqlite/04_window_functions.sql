-- Window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG/LEAD, running SUM
.headers on
.mode column
CREATE TABLE scores (player TEXT, team TEXT, points INTEGER);
INSERT INTO scores VALUES
  ('amy','red',30),('bo','red',25),('cy','red',30),('di','blue',40),
  ('ed','blue',10),('flo','blue',40),('gus','blue',5);
SELECT player, team, points,
  ROW_NUMBER() OVER (PARTITION BY team ORDER BY points DESC, player) AS rn,
  RANK() OVER (PARTITION BY team ORDER BY points DESC) AS rnk,
  DENSE_RANK() OVER (PARTITION BY team ORDER BY points DESC) AS drnk
FROM scores ORDER BY team, rn;
CREATE TABLE daily (day TEXT, revenue INTEGER);
INSERT INTO daily VALUES ('2024-01-01',100),('2024-01-02',140),('2024-01-03',90),('2024-01-04',200),('2024-01-05',160);
SELECT day, revenue,
  LAG(revenue) OVER (ORDER BY day) AS prev,
  revenue - LAG(revenue, 1, revenue) OVER (ORDER BY day) AS delta,
  LEAD(revenue) OVER (ORDER BY day) AS next,
  SUM(revenue) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total,
  round(AVG(revenue) OVER (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS moving_avg3
FROM daily ORDER BY day;
SELECT player, points, NTILE(3) OVER (ORDER BY points DESC, player) AS bucket,
  FIRST_VALUE(player) OVER (ORDER BY points DESC, player) AS leader,
  round(PERCENT_RANK() OVER (ORDER BY points), 3) AS pct
FROM scores ORDER BY points DESC, player;
