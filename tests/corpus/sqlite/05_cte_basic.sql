-- Non-recursive CTEs chained together
.headers on
.mode markdown
CREATE TABLE tx (id INTEGER PRIMARY KEY, account TEXT, amount INTEGER);
INSERT INTO tx (account, amount) VALUES
  ('A',100),('A',-30),('B',500),('B',-450),('C',20),('A',15),('C',-5);
WITH balances AS (
  SELECT account, sum(amount) AS balance FROM tx GROUP BY account
), ranked AS (
  SELECT account, balance, balance * 100.0 / (SELECT sum(balance) FROM balances) AS share FROM balances
)
SELECT account, balance, printf('%.1f%%', share) AS share FROM ranked ORDER BY balance DESC;
WITH big AS (SELECT * FROM tx WHERE abs(amount) >= 100)
SELECT count(*) AS big_tx, sum(amount) AS net FROM big;
