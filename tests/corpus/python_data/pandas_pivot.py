import pandas as pd

data = pd.DataFrame(
    {
        "year": [2022, 2022, 2023, 2023, 2024, 2024],
        "quarter": ["Q1", "Q2", "Q1", "Q2", "Q1", "Q2"],
        "amount": [100, 150, 130, 170, 160, 210],
    }
)
table = data.pivot_table(index="year", columns="quarter", values="amount", aggfunc="sum", margins=True)
print(table)
data["growth"] = data.groupby("quarter")["amount"].pct_change().round(3)
print(data)
