-- UNION, UNION ALL, INTERSECT, EXCEPT
.headers on
.mode list
CREATE TABLE team_a (member TEXT);
CREATE TABLE team_b (member TEXT);
INSERT INTO team_a VALUES ('ann'),('bob'),('cy'),('dee'),('bob');
INSERT INTO team_b VALUES ('cy'),('dee'),('eve'),('fay');
.print -- union
SELECT member FROM team_a UNION SELECT member FROM team_b ORDER BY member;
.print -- union all count
SELECT count(*) AS n FROM (SELECT member FROM team_a UNION ALL SELECT member FROM team_b);
.print -- intersect
SELECT member FROM team_a INTERSECT SELECT member FROM team_b ORDER BY 1;
.print -- except
SELECT member FROM team_a EXCEPT SELECT member FROM team_b ORDER BY 1;
.print -- symmetric difference
SELECT * FROM (SELECT member FROM team_a EXCEPT SELECT member FROM team_b)
UNION
SELECT * FROM (SELECT member FROM team_b EXCEPT SELECT member FROM team_a) ORDER BY 1;
.print -- values
VALUES (1, 'one'), (2, 'two') UNION ALL SELECT 3, 'three';
