import io

import pandas as pd

csv = """name,age,city,salary
Alice,34,Paris,72000
Bob,28,Berlin,54000
Chloe,45,Paris,91000
Dan,39,Madrid,61000
Eve,23,Berlin,48000
"""
df = pd.read_csv(io.StringIO(csv))
print(df.dtypes)
print(df[df["city"] == "Paris"][["name", "salary"]])
print(df.describe().round(2))
print(df["city"].value_counts())
