"""`banding audit`: check the audit log (`verify`), write a signed checkpoint (`checkpoint`),
print the checkpoints' public key (`public-key`), make or rotate the keys (`keygen`)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.audit import keys
from banding.audit.checkpoint import (
    BadCheckpoint,
    Checkpoint,
    Reason,
    checkpoint_files,
    load_checkpoint,
    write_checkpoint,
)
from banding.audit.verify import verify_log


class Command(BaseCommand):
    help = (
        "Log audit: memeriksa rantai MAC dan titik periksa bertanda tangan (verify), menulis "
        "titik periksa (checkpoint), mencetak kunci publik (public-key), membuat atau memutar "
        "kunci (keygen)."
    )
    # keygen must run before the keys exist (the system checks ask for them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="menelusuri seluruh rantai dan menyebut setiap kerusakan (diubah, dihapus, "
            "dipotong, diurutkan ulang, ditulis ulang tanpa kunci, dihapus seluruhnya)",
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            type=Path,
            default=[],
            metavar="BERKAS",
            help="titik periksa yang dipakai (boleh berulang); bawaan: yang terbaru di "
            "BANDING_AUDIT_CHECKPOINT_DIR",
        )
        verify.add_argument(
            "--all-checkpoints",
            action="store_true",
            help="pakai semua titik periksa di BANDING_AUDIT_CHECKPOINT_DIR",
        )
        verify.add_argument(
            "--public-key",
            type=Path,
            metavar="BERKAS",
            help="kunci publik (PEM) pemeriksa tanda tangan titik periksa; bawaan: dari kunci "
            "tanda tangan BANDING_AUDIT_SIGNING_KEY_FILE",
        )
        sub.add_parser("checkpoint", help="menulis titik periksa bertanda tangan sekarang")
        sub.add_parser("public-key", help="mencetak kunci publik titik periksa (PEM) dan sidiknya")
        keygen = sub.add_parser(
            "keygen", help="membuat berkas kunci yang belum ada (kunci MAC dan kunci tanda tangan)"
        )
        keygen.add_argument(
            "--rotate",
            action="store_true",
            help="menambah kunci MAC baru yang menandai peristiwa berikutnya (yang lama tetap "
            "memeriksa)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except keys.MissingKey as error:
            raise CommandError(str(error)) from None

    def _verify(
        self,
        *,
        checkpoint: list[Path],
        all_checkpoints: bool,
        public_key: Path | None,
        **options: Any,
    ) -> None:
        files = checkpoint or (checkpoint_files() if all_checkpoints else checkpoint_files()[-1:])
        loaded: list[Checkpoint] = []
        problems: list[str] = []
        if files:
            verifier = keys.load_public_key(public_key) if public_key else keys.public_key()
            for path in files:
                try:
                    loaded.append(load_checkpoint(path, verifier))
                except BadCheckpoint as error:
                    problems.append(str(error))
        report = verify_log(loaded)
        problems += [finding.describe() for finding in report.findings]
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            if len(problems) == 1:
                raise CommandError(f"Rantai log audit RUSAK: {problems[0]}.")
            raise CommandError(
                f"Rantai log audit RUSAK ({len(problems)} temuan): {'; '.join(problems)}."
            )
        self.stdout.write(f"OK: rantai log audit utuh, {report.count} peristiwa diperiksa.")
        for cp in loaded:
            self.stdout.write(
                f"Cocok dengan titik periksa {cp.name} ({cp.created_at.isoformat()}, "
                f"{cp.count} peristiwa, {len(cp.chains)} rantai, ditandatangani {cp.signer})."
            )

    def _checkpoint(self, **options: Any) -> None:
        path, checkpoint = write_checkpoint(Reason.MANUAL)
        self.stdout.write(
            f"Titik periksa ditulis: {path} ({checkpoint.count} peristiwa, "
            f"{len(checkpoint.chains)} rantai); dikirim kepada auditor."
        )

    def _public_key(self, **options: Any) -> None:
        self.stdout.write(keys.public_pem().rstrip())
        self.stdout.write(f"Sidik (SHA-256): {keys.fingerprint()}")

    def _keygen(self, *, rotate: bool, **options: Any) -> None:
        made = keys.create_keys()
        for path in made:
            self.stdout.write(f"Kunci dibuat: {path} (simpan salinannya di luar server).")
        if rotate:
            key_id = keys.rotate_key()
            self.stdout.write(
                f"Kunci MAC baru {key_id} ditambahkan ke {keys.key_file()}: ia menandai "
                "peristiwa berikutnya (mulai ulang server dan pekerja); kunci lama tetap "
                "memeriksa."
            )
        elif not made:
            self.stdout.write("Semua kunci sudah ada; tidak ada yang dibuat.")
        self.stdout.write(f"Kunci publik titik periksa, sidik {keys.fingerprint()}.")
