-- NULL semantics: coalesce, ifnull, nullif, IS NULL, aggregates skipping NULLs, .nullvalue
.headers on
.mode column
.nullvalue <null>
CREATE TABLE contacts (name TEXT, phone TEXT, email TEXT, age INTEGER);
INSERT INTO contacts VALUES ('ann', '555-1234', NULL, 30), ('bob', NULL, 'bob@x.org', NULL), ('cy', NULL, NULL, 40), ('dee', '', 'd@x', 0);
SELECT name, phone, email, coalesce(phone, email, 'no contact') AS reach, ifnull(age, -1) AS age_or_neg,
  nullif(phone, '') AS phone_nonempty, age IS NULL AS missing_age
FROM contacts ORDER BY name;
SELECT count(*) AS all_rows, count(age) AS with_age, avg(age) AS avg_age, sum(age) AS sum_age, total(age) AS total_age FROM contacts;
SELECT NULL = NULL AS eq, NULL IS NULL AS is_, NULL IS NOT 1 AS is_not, 1 IN (NULL, 1) AS in_hit, 2 IN (NULL, 1) AS in_miss, NULL OR 1 AS or_, NULL AND 0 AS and_;
SELECT name FROM contacts WHERE phone IS NOT NULL AND phone <> '' ORDER BY name;
SELECT sum(x) AS sum_empty, total(x) AS total_empty, max(x) AS max_empty, count(x) AS count_empty FROM (SELECT 1 AS x WHERE 0);
.nullvalue NULL
SELECT name, email FROM contacts ORDER BY name;
