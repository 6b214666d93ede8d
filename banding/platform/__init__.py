"""The platform commands: `banding serve` (gunicorn), `banding worker` (the task queue and the
periodic jobs) and `banding demo` (a ready-to-try SiBanding), with the demo's seeder."""
