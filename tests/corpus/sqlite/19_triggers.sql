-- Triggers maintaining an audit log and a derived balance
.headers on
.mode column
CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT, balance INTEGER NOT NULL DEFAULT 0);
CREATE TABLE audit (seq INTEGER PRIMARY KEY, account_id INTEGER, old_balance INTEGER, new_balance INTEGER, note TEXT);
CREATE TRIGGER accounts_audit AFTER UPDATE OF balance ON accounts
BEGIN
  INSERT INTO audit (account_id, old_balance, new_balance, note)
  VALUES (NEW.id, OLD.balance, NEW.balance, CASE WHEN NEW.balance > OLD.balance THEN 'credit' ELSE 'debit' END);
END;
CREATE TRIGGER no_overdraft BEFORE UPDATE OF balance ON accounts
WHEN NEW.balance < 0
BEGIN
  SELECT RAISE(IGNORE);
END;
CREATE TRIGGER accounts_insert AFTER INSERT ON accounts
BEGIN
  INSERT INTO audit (account_id, old_balance, new_balance, note) VALUES (NEW.id, NULL, NEW.balance, 'opened');
END;
INSERT INTO accounts (owner, balance) VALUES ('ann', 100), ('bob', 50);
UPDATE accounts SET balance = balance + 25 WHERE owner = 'ann';
UPDATE accounts SET balance = balance - 80 WHERE owner = 'bob';
UPDATE accounts SET balance = balance - 30 WHERE owner = 'bob';
SELECT * FROM accounts ORDER BY id;
SELECT * FROM audit ORDER BY seq;
SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name;
