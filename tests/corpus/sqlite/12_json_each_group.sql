-- json_each, json_tree, json_group_array, json_group_object, json_object
.headers on
.mode list
.separator " | "
CREATE TABLE recipes (name TEXT, ingredients TEXT);
INSERT INTO recipes VALUES
  ('pancakes', '["flour","egg","milk","sugar"]'),
  ('omelette', '["egg","milk","cheese"]'),
  ('toast', '["bread","butter"]');
SELECT r.name, j.key, j.value FROM recipes r, json_each(r.ingredients) j ORDER BY r.name, j.key;
SELECT j.value AS ingredient, count(*) AS used_in FROM recipes r, json_each(r.ingredients) j
GROUP BY j.value HAVING count(*) > 1 ORDER BY used_in DESC, ingredient;
SELECT json_group_array(name) FROM (SELECT name FROM recipes ORDER BY name);
SELECT json_group_object(name, json_array_length(ingredients)) FROM recipes;
SELECT json_object('id', 1, 'tags', json_array('x', 'y'), 'ok', json('true'), 'none', NULL);
SELECT fullkey, type, atom FROM json_tree('{"a":{"b":[1,2]},"c":"s"}') ORDER BY fullkey;
SELECT json_group_array(json_object('name', name, 'n', json_array_length(ingredients))) FROM recipes;
