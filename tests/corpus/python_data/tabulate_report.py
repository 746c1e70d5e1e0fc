from tabulate import tabulate

rows = [["apples", 3, 1.25], ["pears", 12, 0.5], ["kiwis", 7, 0.75]]
print(tabulate(rows, headers=["fruit", "count", "price"], tablefmt="github"))
print(tabulate(rows, tablefmt="plain", floatfmt=".2f"))
