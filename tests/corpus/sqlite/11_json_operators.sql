-- JSON -> and ->> operators (3.38+)
.headers on
.mode box
CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO docs (body) VALUES
  ('{"name":"Widget","price":9.5,"dims":{"w":10,"h":4},"tags":["tool","metal"]}'),
  ('{"name":"Gizmo","price":12,"dims":{"w":3,"h":3},"tags":["toy"]}'),
  ('{"name":"Thing","dims":{"w":1,"h":1},"tags":[]}');
SELECT id, body ->> '$.name' AS name, body -> '$.dims' AS dims_json,
  body ->> 'price' AS price, body -> 'tags' -> 0 AS first_tag_json, body -> 'tags' ->> 0 AS first_tag
FROM docs ORDER BY id;
SELECT body ->> 'name' AS name, (body ->> '$.dims.w') * (body ->> '$.dims.h') AS area
FROM docs WHERE body ->> 'price' IS NOT NULL ORDER BY area DESC;
SELECT typeof(body -> 'price') AS arrow_type, typeof(body ->> 'price') AS arrow2_type FROM docs WHERE id = 1;
