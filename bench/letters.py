"""One letter signed (PAdES, issue 21) beside the same letter unsigned: WeasyPrint's PDF, the
signer's PKCS#12 file opened, the signature applied, the whole signed letter, and the
signature checked as the verification page does.

    uv run python bench/letters.py [--appeals 100000] [--seed 1] [--repeat 10] [--rebuild]

On the usual cached database (as bench/pages.py; nothing is written to it): the latest issued
decision letter, rendered as `banding.letters.render.render_pdf` does (the first call, which
loads WeasyPrint, is shown apart), then signed with `banding.letters.signing.pades.sign` by a
certificate of a DEMO authority made for the run (EC P-256, as `banding demo` makes them) read
from a PKCS#12 file in a temporary folder, as `letter_issue` opens it. No letter in the
database: an unsaved issued letter of a closed appeal, which renders the same way.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()


def _letter():
    from django.utils import timezone

    from banding.appeals.models import Appeal, Status
    from banding.letters.models import Letter

    letter = (
        Letter.objects.select_related("appeal", "signer")
        .filter(status="issued", kind="keputusan")
        .order_by("-id")
        .first()
    )
    if letter is not None:
        return letter, "the latest issued keputusan"
    appeal = Appeal.objects.filter(status=Status.CLOSED).order_by("-id").first()
    appeal = appeal or Appeal.objects.order_by("-id").first()
    head = harness.person("head", "kepala")
    now = timezone.now()
    letter = Letter(
        appeal=appeal,
        kind="penyampaian",
        step=12,
        fields={},
        status="issued",
        number="B-1/BBSPJIKFK/PJTK/HM.04/01/2026",
        verification_code="bench-letter-code",
        issued_at=now,
        signed_at=now,
        signer=head,
        issued_by=head,
        signed_as="Kepala Balai",
        created_by=head,
    )
    return letter, "an unsaved issued penyampaian (no issued keputusan in the database)"


def phase(repeat: int) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from banding.letters.render import render_pdf
    from banding.letters.signing import certificates, pades
    from banding.letters.signing.verification import check_signature
    from banding.platform.demo import certificates as demo_ca

    # WeasyPrint says, for every PDF, that it subsets fonts with fontTools: see bench/README.md.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    letter, source = _letter()
    folder = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    settings.BANDING_SIGNING = {
        "DIR": folder,
        "TRUST_ROOTS": folder / demo_ca.TRUST_ROOTS,
        "TSA_URL": "",
    }
    signer = letter.signer.username if letter.signer else "kepala"
    demo_ca.seed_certificates(folder, [(signer, "Penanda Tangan Bench", "Kepala Balai")])

    started = time.perf_counter()
    unsigned = render_pdf(letter)
    cold = time.perf_counter() - started
    # The first signature and check load pyHanko: shown apart, as WeasyPrint's first PDF.
    started = time.perf_counter()
    credential = certificates.credential_for(signer, at=timezone.now())
    check_signature(pades.sign(unsigned, credential, capacity="-", when="-", reason="-"))
    cold_sign = time.perf_counter() - started
    times: dict[str, list[float]] = {k: [] for k in ("render", "open", "sign", "whole", "check")}
    signed = b""
    for _ in range(repeat):
        t0 = time.perf_counter()
        unsigned = render_pdf(letter)
        t1 = time.perf_counter()
        credential = certificates.credential_for(signer, at=timezone.now())
        t2 = time.perf_counter()
        signed = pades.sign(
            unsigned, credential, capacity="Kepala Balai", when="bench", reason="bench"
        )
        t3 = time.perf_counter()
        check = check_signature(signed)
        t4 = time.perf_counter()
        assert check.ok, check.message
        times["render"].append(t1 - t0)
        times["open"].append(t2 - t1)
        times["sign"].append(t3 - t2)
        times["whole"].append(t3 - t0)
        times["check"].append(t4 - t3)
    return {
        "source": source,
        "kind": letter.kind,
        "cold": cold,
        "cold_sign": cold_sign,
        "times": times,
        "unsigned_bytes": len(unsigned),
        "signed_bytes": len(signed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--repeat", type=int, default=10, help="timed letters")
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        harness.setup_django({}, "bench.settings")
        print(json.dumps(phase(args.repeat)))
        return 0

    target = harness.Target("sqlite", args.appeals, args.seed)
    harness.ensure(target, rebuild=args.rebuild)
    harness.log(f"one letter, unsigned and signed, {args.repeat} times, on {target.name}")
    result = harness.phase(SCRIPT, ["--phase", f"--repeat={args.repeat}"], target.env())
    t = result["times"]
    rows = [
        ("letter PDF, unsigned (WeasyPrint)", t["render"], result["unsigned_bytes"]),
        ("signer's PKCS#12 opened", t["open"], None),
        ("PAdES signature applied", t["sign"], None),
        ("letter PDF, signed (the three above)", t["whole"], result["signed_bytes"]),
        ("signature checked (verification page)", t["check"], None),
    ]
    print(f"## One letter signed beside unsigned ({target.name})\n")
    print(harness.machine())
    print()
    unsigned = harness.median_ms(t["render"])
    print(
        harness.table(
            ["step", "median ms", "p95 ms", "× unsigned", "PDF bytes"],
            [
                (
                    name,
                    harness.fmt_ms(harness.median_ms(s)),
                    harness.fmt_ms(harness.p95_ms(s)),
                    f"{harness.median_ms(s) / unsigned:.2f}",
                    f"{size:,}" if size else "",
                )
                for name, s, size in rows
            ],
        )
    )
    print()
    print(
        f"Letter: {result['source']} ({result['kind']}); first render (loads WeasyPrint) "
        f"{harness.fmt_duration(result['cold'])}, first signature and check (load pyHanko) "
        f"{harness.fmt_duration(result['cold_sign'])}; then {args.repeat} timed letters."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
