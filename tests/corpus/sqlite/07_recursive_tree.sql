-- Recursive CTE walking an org-chart hierarchy
.headers on
.mode column
CREATE TABLE org (id INTEGER PRIMARY KEY, name TEXT, manager_id INTEGER REFERENCES org(id));
INSERT INTO org VALUES
  (1,'CEO',NULL),(2,'CTO',1),(3,'CFO',1),(4,'Dev Lead',2),(5,'Dev 1',4),
  (6,'Dev 2',4),(7,'Accountant',3),(8,'Intern',5);
WITH RECURSIVE chain(id, name, depth, path) AS (
  SELECT id, name, 0, name FROM org WHERE manager_id IS NULL
  UNION ALL
  SELECT o.id, o.name, c.depth + 1, c.path || ' > ' || o.name
  FROM org o JOIN chain c ON o.manager_id = c.id
)
SELECT id, substr('            ', 1, depth * 2) || name AS tree, depth, path FROM chain ORDER BY path;
-- all managers above the intern
WITH RECURSIVE up(id, name, manager_id) AS (
  SELECT id, name, manager_id FROM org WHERE name = 'Intern'
  UNION ALL
  SELECT o.id, o.name, o.manager_id FROM org o JOIN up ON o.id = up.manager_id
)
SELECT name FROM up;
-- count of reports (direct + indirect) per person
WITH RECURSIVE sub(root, id) AS (
  SELECT id, id FROM org
  UNION ALL
  SELECT sub.root, o.id FROM org o JOIN sub ON o.manager_id = sub.id
)
SELECT o.name, count(*) - 1 AS reports FROM sub JOIN org o ON o.id = sub.root GROUP BY sub.root ORDER BY reports DESC, o.name;
