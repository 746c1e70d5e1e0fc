-- group_concat with ORDER BY and string_agg (3.44+)
.headers on
.mode column
CREATE TABLE pets (owner TEXT, pet TEXT, age INTEGER);
INSERT INTO pets VALUES ('ann','rex',5),('ann','tom',2),('bob','kit',9),('ann','ace',7),('bob','bo',1),('cy','zed',3);
SELECT owner, group_concat(pet, ', ' ORDER BY pet) AS by_name,
  group_concat(pet, ', ' ORDER BY age DESC) AS by_age_desc,
  string_agg(pet, '/' ORDER BY age) AS agg_by_age,
  count(*) AS n
FROM pets GROUP BY owner ORDER BY owner;
SELECT group_concat(DISTINCT owner) AS owners, string_agg(pet, ';' ORDER BY pet DESC) AS all_pets FROM pets;
SELECT group_concat(age) AS default_sep FROM (SELECT age FROM pets ORDER BY age);
