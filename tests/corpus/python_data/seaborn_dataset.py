import pandas as pd
import seaborn as sns

df = pd.DataFrame({"day": ["mon", "mon", "tue", "tue", "wed"], "tips": [1.5, 2.0, 3.0, 2.5, 4.0]})
ax = sns.barplot(data=df, x="day", y="tips", errorbar=None)
print([round(p.get_height(), 2) for p in ax.patches])
print(type(ax).__name__)
