import pandas as pd

days = pd.date_range("2024-01-01", periods=10, freq="D")
s = pd.Series(range(10), index=days)
print(s.resample("W").sum())
print(days[0].day_name(), days[-1].strftime("%Y/%m/%d"))
print((pd.Timestamp("2024-03-01") - pd.Timestamp("2024-02-01")).days, "days in February 2024")
print(pd.to_datetime(["2024-05-01", "2024-12-25"]).month.tolist())
