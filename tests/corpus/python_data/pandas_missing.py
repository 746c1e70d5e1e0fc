import numpy as np
import pandas as pd

df = pd.DataFrame({"a": [1, np.nan, 3, np.nan], "b": [4, 5, np.nan, 8], "c": ["x", None, "z", "w"]})
print(df.isna().sum())
print(df.fillna({"a": df["a"].mean(), "b": 0, "c": "?"}))
print(df.dropna())
print(df["a"].interpolate().tolist())
