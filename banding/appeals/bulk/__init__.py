"""`banding seed-bulk`: a realistic history of many appeals, written fast (issue 7).

plan.py and timeline.py decide what happens to each appeal and when (in working time,
worktime.py); history.py turns that into the rows the services would have written;
writer.py writes them; load.py runs it all in one transaction."""

from banding.appeals.bulk.load import Result, seed_bulk

__all__ = ["Result", "seed_bulk"]
