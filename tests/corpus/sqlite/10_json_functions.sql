-- JSON functions: json_extract, json_set, json_array_length, json_type, json_valid
.headers on
.mode line
CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT);
INSERT INTO events (payload) VALUES
  ('{"user":"ann","action":"login","meta":{"ip":"10.0.0.1","tags":["a","b"]}}'),
  ('{"user":"bob","action":"purchase","amount":19.99,"meta":{"tags":[]}}');
SELECT id,
  json_extract(payload, '$.user') AS user,
  json_extract(payload, '$.meta.tags') AS tags,
  json_array_length(payload, '$.meta.tags') AS ntags,
  json_type(payload, '$.amount') AS amount_type
FROM events ORDER BY id;
SELECT json_set('{"a":1}', '$.b', 2, '$.c', json('[1,2]')) AS set_result,
  json_insert('{"a":1}', '$.a', 99, '$.z', 'new') AS insert_result,
  json_replace('{"a":1,"b":2}', '$.b', 'two') AS replace_result,
  json_remove('[0,1,2,3]', '$[1]', '$[1]') AS remove_result,
  json_patch('{"a":1,"b":{"c":2}}', '{"b":{"d":3},"a":null}') AS patch_result,
  json_valid('{"x":}') AS invalid, json_valid('[1]') AS valid,
  json_quote('he said "hi"') AS quoted;
