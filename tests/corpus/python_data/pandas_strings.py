import pandas as pd

names = pd.Series(["  alice SMITH", "Bob jones ", "carol  White", None])
clean = names.str.strip().str.title()
print(clean)
print(clean.str.split().str[0].tolist())
print(clean.str.contains("Jones", na=False).sum())
print(clean.fillna("unknown").str.len().tolist())
