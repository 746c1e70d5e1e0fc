-- INSERT/UPDATE/DELETE ... RETURNING (3.35+)
.headers on
.mode column
CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT, done INTEGER DEFAULT 0);
INSERT INTO tasks (title) VALUES ('write tests'), ('fix bug'), ('deploy') RETURNING id, title, done;
UPDATE tasks SET done = 1 WHERE title LIKE '%bug%' RETURNING id, title, done;
DELETE FROM tasks WHERE done = 1 RETURNING *;
INSERT INTO tasks (title) VALUES ('celebrate') RETURNING id * 10 AS ten_x, upper(title) AS loud;
SELECT * FROM tasks ORDER BY id;
