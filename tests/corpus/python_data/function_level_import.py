def summarize(values):
    import pandas as pd

    return pd.Series(values).describe().round(3)


if __name__ == "__main__":
    print(summarize([5, 7, 7, 9, 12]))
