-- Unicode text: lengths, upper/lower (ASCII-only folding), substr on multibyte, sorting, LIKE, box-mode widths
.headers on
.mode box
CREATE TABLE words (w TEXT);
INSERT INTO words VALUES ('café'), ('naïve'), ('Ünïcödé'), ('東京'), ('emoji 🎉'), ('zebra'), ('Apple');
SELECT w, length(w) AS chars, octet_length(w) AS bytes, upper(w) AS up, substr(w, 2, 3) AS mid, hex(substr(w, 1, 1)) AS first_hex
FROM words ORDER BY w;
SELECT w FROM words ORDER BY w COLLATE NOCASE;
SELECT count(*) AS like_cafe FROM words WHERE w LIKE 'CAF%';
SELECT unicode('€') AS euro_cp, char(8364, 0x1F600) AS chars, instr('日本語テキスト', 'テ') AS pos, replace('a–b—c', '—', '-') AS dash;
.mode column
SELECT w, length(w) AS n FROM words WHERE length(w) <= 4 ORDER BY n, w;
