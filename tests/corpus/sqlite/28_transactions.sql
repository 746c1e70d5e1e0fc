-- Transactions: COMMIT, ROLLBACK, SAVEPOINT / ROLLBACK TO
.headers on
.mode list
CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER);
BEGIN;
INSERT INTO ledger (amount) VALUES (100), (200);
COMMIT;
BEGIN TRANSACTION;
INSERT INTO ledger (amount) VALUES (999);
DELETE FROM ledger WHERE amount = 100;
SELECT 'inside txn', count(*), sum(amount) FROM ledger;
ROLLBACK;
SELECT 'after rollback', count(*), sum(amount) FROM ledger;
SAVEPOINT sp1;
INSERT INTO ledger (amount) VALUES (1);
SAVEPOINT sp2;
INSERT INTO ledger (amount) VALUES (2);
ROLLBACK TO sp2;
INSERT INTO ledger (amount) VALUES (3);
RELEASE sp1;
SELECT group_concat(amount, ',' ORDER BY id) AS amounts FROM ledger;
SELECT 'autocommit', 1;
