-- CASE expressions and iif()
.headers on
.mode table
CREATE TABLE temps (city TEXT, celsius REAL);
INSERT INTO temps VALUES ('Oslo', -3.5), ('Cairo', 35), ('Lima', 19), ('Reykjavik', 0), ('Unknown', NULL);
SELECT city, celsius,
  CASE WHEN celsius IS NULL THEN 'n/a'
       WHEN celsius < 0 THEN 'freezing'
       WHEN celsius < 20 THEN 'mild'
       ELSE 'hot' END AS category,
  iif(celsius >= 0, 'above', 'below') AS vs_zero,
  CASE city WHEN 'Oslo' THEN 'NO' WHEN 'Cairo' THEN 'EG' ELSE '??' END AS code,
  round(celsius * 9.0 / 5 + 32, 1) AS fahrenheit
FROM temps ORDER BY celsius IS NULL, celsius;
SELECT sum(CASE WHEN celsius > 10 THEN 1 ELSE 0 END) AS warm_cities, count(*) FILTER (WHERE celsius <= 10) AS cold_cities FROM temps;
SELECT iif(1, 'yes', 'no') AS a, iif(0, 'yes', 'no') AS b, iif(NULL, 'yes', 'no') AS c;
