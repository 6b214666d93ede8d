"""`banding seed-bulk`: a realistic history of many appeals, written fast (issue 7). A Django
app of the bench (its command), installed where bench/ is there; not part of the product.

plan.py and timeline.py decide what happens to each appeal and when (in working time,
worktime.py); history.py turns that into the rows the services would have written;
writer.py writes them; load.py runs it all in one transaction (`load.seed_bulk`). Nothing
is imported here: the app is loaded before the models are."""
