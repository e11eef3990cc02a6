"""English dates as archives write them: day, month, year ("24 September 1945"), never the
American "Sept. 24, 1945" of Django's `en`, so that an English page reads a date in the order a
Norwegian one does ("24. september 1945")."""
DATE_FORMAT = "j F Y"  # 24 September 1945
DATETIME_FORMAT = "j F Y, H:i"  # 24 September 1945, 14:30
