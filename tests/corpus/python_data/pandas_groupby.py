import pandas as pd

sales = pd.DataFrame(
    {
        "region": ["north", "south", "north", "east", "south", "east", "north"],
        "product": ["a", "b", "a", "c", "a", "b", "c"],
        "units": [10, 4, 7, 3, 8, 6, 5],
        "price": [2.5, 4.0, 2.5, 10.0, 2.5, 4.0, 10.0],
    }
)
sales["revenue"] = sales["units"] * sales["price"]
summary = sales.groupby("region").agg(units=("units", "sum"), revenue=("revenue", "sum"))
print(summary.sort_values("revenue", ascending=False))
print(sales.groupby(["region", "product"])["units"].sum().unstack(fill_value=0))
