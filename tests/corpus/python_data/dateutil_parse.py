from datetime import datetime

from dateutil import parser
from dateutil.relativedelta import relativedelta

d = parser.parse("March 3, 2024 5:30 PM")
print(d.isoformat())
print((d + relativedelta(months=+1, day=31)).date())
print(relativedelta(datetime(2025, 1, 1), datetime(2023, 6, 15)))
