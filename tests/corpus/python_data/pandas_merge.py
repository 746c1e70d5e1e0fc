import pandas as pd

customers = pd.DataFrame({"id": [1, 2, 3, 4], "name": ["Ann", "Ben", "Cal", "Dee"]})
orders = pd.DataFrame(
    {"order": [100, 101, 102, 103, 104], "customer_id": [1, 2, 1, 3, 5], "total": [20.0, 35.5, 12.25, 8.0, 99.9]}
)
joined = orders.merge(customers, left_on="customer_id", right_on="id", how="left")
print(joined[["order", "name", "total"]])
totals = orders.merge(customers, left_on="customer_id", right_on="id").groupby("name")["total"].sum()
print(totals)
print(
    customers.merge(orders, left_on="id", right_on="customer_id", how="left")["order"].isna().sum(),
    "customers without orders",
)
