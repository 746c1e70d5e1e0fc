-- Indexes (unique, partial, expression) and index listing pragmas
.headers on
.mode column
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, active INTEGER, created TEXT);
CREATE UNIQUE INDEX users_email ON users(lower(email));
CREATE INDEX users_active ON users(created) WHERE active = 1;
INSERT INTO users (email, active, created) VALUES
  ('a@x.com',1,'2024-01-05'),('B@x.com',0,'2024-02-01'),('c@x.com',1,'2024-03-10');
SELECT email FROM users WHERE lower(email) = 'b@x.com';
SELECT count(*) AS active_users FROM users WHERE active = 1 AND created >= '2024-01-01';
SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
PRAGMA index_list(users);
PRAGMA index_xinfo(users_active);
.indexes users
INSERT OR IGNORE INTO users (email, active, created) VALUES ('A@X.COM', 1, '2024-04-01');
SELECT count(*) AS still_three FROM users;
