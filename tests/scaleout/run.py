"""One scale-out run: the load through a cluster of app servers and workers, then the checks.
bench/scaleout.py runs it on a fresh database; tests/scaleout/test_scaleout.py on the test
database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.scaleout.checks import Verdict, check_all
from tests.scaleout.cluster import Cluster
from tests.scaleout.load import Load, drive, prepare, wait_drained


@dataclass
class Outcome:
    verdict: Verdict
    cluster: Cluster
    load: Load


def scaleout(
    *,
    database_url: str,
    var_dir: Path,
    appeals: int,
    threads: int = 8,
    apps: int = 2,
    workers: int = 2,
    app_workers: int = 2,
    demo_appeals: bool = False,
    drain_timeout: float = 120.0,
) -> Outcome:
    """Seed the accounts (and the demo's appeals), start the cluster, send the load, wait for
    the workers to drain the outbox, stop the cluster, check. The database must be migrated
    and its data committed: the processes read it through their own connections."""
    setup = prepare(demo_appeals=demo_appeals)
    cluster = Cluster(
        database_url=database_url,
        var_dir=var_dir,
        apps=apps,
        workers=workers,
        app_workers=app_workers,
    )
    with cluster:
        load = drive(cluster.urls, setup, appeals=appeals, threads=threads)
        drain = wait_drained(timeout=drain_timeout)
    return Outcome(check_all(cluster, load, drain), cluster, load)
