from bs4 import BeautifulSoup

html = """<html><body><h1>Prices</h1><ul>
<li class="item"><a href="/a">Alpha</a> <span>3.50</span></li>
<li class="item"><a href="/b">Beta</a> <span>1.25</span></li>
</ul></body></html>"""
soup = BeautifulSoup(html, "html.parser")
print(soup.h1.text)
for li in soup.select("li.item"):
    print(li.a["href"], li.a.text, float(li.span.text))
