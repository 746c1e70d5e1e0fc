-- String functions: substr, instr, replace, upper/lower, trim, length, printf/format, hex, char
.headers on
.mode line
SELECT substr('Hello, World', 8) AS s1, substr('Hello, World', 1, 5) AS s2, substr('Hello', -3, 2) AS s3,
  instr('banana', 'an') AS instr1, instr('banana', 'z') AS instr0,
  replace('a-b-c-d', '-', '+') AS repl, upper('mixed Case') AS up, lower('MiXeD') AS low,
  trim('  pad  ') || '|' AS trimmed, ltrim('xxabcxx', 'x') AS ltr, rtrim('xxabcxx', 'x') AS rtr,
  length('héllo') AS char_len, octet_length('héllo') AS byte_len,
  printf('%5d|%-5s|%.3f|%e|%x|%05.1f', 42, 'ab', 3.14159, 12345.678, 255, 2.5) AS pf,
  format('%s has %d items costing %,d', 'cart', 3, 1234567) AS fmt,
  printf('%q', 'it''s') AS quoted, printf('%w', 'a"b') AS ident,
  hex('AB') AS hx, char(72, 105) AS ch, unicode('A') AS uc, quote('x''y') AS q,
  'abc' || NULL AS concat_null, concat('a', NULL, 'b', 1) AS concat_fn, concat_ws('-', 'x', NULL, 'y', 'z') AS cws,
  'Widget' LIKE 'w%' AS like_ci, 'Widget' GLOB 'w*' AS glob_cs, reverse_test.r AS rev
FROM (SELECT group_concat(c, '') AS r FROM (SELECT substr('stressed', 9 - value, 1) AS c FROM generate_series(1, 8))) AS reverse_test;
