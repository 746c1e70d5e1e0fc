-- UNIQUE constraint violation stops the script
.mode list
CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL);
INSERT INTO accounts (username) VALUES ('alice'), ('bob');
SELECT count(*) FROM accounts;
INSERT INTO accounts (username) VALUES ('alice');
SELECT 'unreachable';
