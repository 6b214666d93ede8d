"""`banding demo`: a ready-to-try SiBanding in one command (database, demo data, server)."""

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from banding.appeals.models import Appeal
from banding.audit import keys
from banding.platform import address, demo
from banding.platform.management.commands.serve import (
    add_server_arguments,
    check_address,
    describe,
    prepare,
    serve,
)
from banding.platform.management.commands.worker import (
    mail_destination,
    start_worker,
    worker_environment,
)


class Command(BaseCommand):
    help = (
        "Menyiapkan database (migrasi), mengisi akun dan banding demo (aman diulang), lalu "
        "melayani aplikasi dengan gunicorn beserta satu pekerja latar (surel, pengingat "
        "tenggat)."
    )

    # The checks run once the public URL is derived from --host/--port (handle).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="hanya siapkan database dan data demo, tanpa menjalankan server",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        threads: int,
        no_serve: bool,
        **options: Any,
    ) -> None:
        check_address(port=port, workers=workers, threads=threads)
        env, public = prepare(host, port)
        # The demo's letters, receipts and mails link to where this demo is served.
        with address.applied(env):
            self._check_and_run(
                host=host,
                port=port,
                workers=workers,
                threads=threads,
                env=env,
                public=public,
                no_serve=no_serve,
            )

    def _check_and_run(
        self,
        *,
        host: str,
        port: int,
        workers: int,
        threads: int,
        env: dict[str, str],
        public: address.PublicUrl,
        no_serve: bool,
    ) -> None:
        # The audit log's keys under var/keys/ on the first run (banding.audit.keys): the demo
        # works without configuration; a production server is given its own.
        for path in keys.create_keys():
            self.stdout.write(f"Kunci log audit dibuat: {path}.")
        self.check(display_num_errors=False)
        self.stdout.write(f"Database: {connection.settings_dict['NAME']}")
        self._start_over_if_migrated_by_an_old_set()
        call_command("migrate", interactive=False, verbosity=0, stdout=self.stdout)
        self.stdout.write("Migrasi database selesai.")
        result = demo.seed()
        if result.accounts_created:
            self.stdout.write(f"Akun demo dibuat: {result.accounts_created}.")
        if result.appeals_created:
            self.stdout.write("Banding demo dibuat:")
            for appeal in result.appeals_created:
                self.stdout.write(
                    f"  {appeal.number}  {self._where(appeal):<24}  {appeal.organization}"
                )
        if result.certificates_created:
            self.stdout.write(
                f"Sertifikat tanda tangan DEMO dibuat untuk {len(result.certificates_created)} "
                f"penanda tangan di {settings.BANDING_SIGNING['DIR']} (CA DEMO lokal; "
                "docs/letters.md menjelaskan sertifikat resmi)."
            )
        if result.registrant_created:
            self.stdout.write(
                f"Pendaftaran pelanggan demo menunggu konfirmasi staf: {demo.REGISTRANT.email}."
            )
        if not result.changed:
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        self.stdout.write("")
        self.stdout.write(f"Akun demo (kata sandi semua akun: {demo.DEMO_PASSWORD}):")
        self.stdout.write(demo.accounts_table())
        self.stdout.write(
            "Pelanggan dan pendaftar masuk di halaman yang sama dan tiba di portal (/portal/)."
        )
        self.stdout.write("")
        if no_serve:
            self.stdout.write(
                "Surel demo menunggu di antrean sampai pekerja latar berjalan (`banding worker`)."
            )
            return
        site = public.url
        self.stdout.write(
            f"Buka {site}/ (portal pelanggan: {site}/portal/, administrasi: {site}/admin/, "
            f"API: {site}/api/v1/docs). Hentikan dengan Ctrl+C."
        )
        self.stdout.write(describe(public, host, port))
        # The worker beside the server sends the e-mails and runs the deadline sweep, so
        # mails, reminders and escalations happen in the demo.
        worker = start_worker(env)
        self.stdout.write(
            f"Pekerja latar (pengingat tenggat) berjalan, PID {worker.pid}. Ia juga mengirim "
            "surel dari kotak keluar."
        )
        # To files under var/mail unless a mail server is set.
        self.stdout.write(mail_destination(worker_environment(env)))
        try:
            serve(host=host, port=port, workers=workers, threads=threads, env=env)
        finally:
            # Reached only if gunicorn could not start: serve() replaces this process, and the
            # worker then ends when the server does (start_worker).
            worker.terminate()
            worker.wait()

    def _start_over_if_migrated_by_an_old_set(self) -> None:
        """A demo database migrated by migrations the code no longer has (the set squashed
        before the first installation, docs/operator.md) cannot be migrated on: SQLite's is
        deleted and made afresh (the demo data is seeded again), PostgreSQL's is left to the
        operator."""
        old = old_migrations()
        if not old:
            return
        listed = ", ".join(old[:3]) + (", …" if len(old) > 3 else "")
        if connection.vendor != "sqlite":
            raise CommandError(
                f"Database ini dimigrasikan dengan migrasi lama yang tidak ada lagi ({listed}). "
                "Hapus lalu buat ulang database itu (lihat docs/operator.md, bagian "
                '"Migrasi dipadatkan"), kemudian jalankan perintah ini lagi.'
            )
        path = Path(connection.settings_dict["NAME"])
        self.stdout.write(
            f"Database demo ini dimigrasikan dengan migrasi lama yang tidak ada lagi ({listed}); "
            "database dibuat ulang dan data demo diisi kembali."
        )
        connection.close()
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)

    @staticmethod
    def _where(appeal: Appeal) -> str:
        if appeal.current_step is None:
            return appeal.get_status_display().lower()
        return f"langkah {appeal.current_step}"


def old_migrations() -> list[str]:
    """The migrations of SiBanding's apps the database records as applied but the code no
    longer has ("app.name", sorted)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("banding")}
    return sorted(
        f"{app}.{name}"
        for app, name in loader.applied_migrations
        if app in ours and (app, name) not in loader.disk_migrations
    )
