import pandas as pd

prices = pd.Series([10, 11, 12, 11, 13, 15, 14, 16, 18, 17], name="price")
frame = pd.DataFrame({"price": prices, "ma3": prices.rolling(3).mean().round(2), "change": prices.diff()})
print(frame)
print("best day:", frame["change"].idxmax(), "cumulative max:", prices.cummax().tolist())
