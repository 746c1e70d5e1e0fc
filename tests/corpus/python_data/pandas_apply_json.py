import json

import pandas as pd

records = [{"user": "u1", "score": 71}, {"user": "u2", "score": 88}, {"user": "u3", "score": 59}]
df = pd.DataFrame(records)
df["grade"] = df["score"].apply(lambda s: "pass" if s >= 60 else "fail")
df["rank"] = df["score"].rank(ascending=False).astype(int)
print(df.to_string(index=False))
print(json.dumps(json.loads(df.to_json(orient="records")), indent=1))
