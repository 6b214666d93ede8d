"""The `banding` commands of the platform: demo (its seeding, not the server) and serve."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from banding.accounts.models import (
    CustomerOrganization,
    CustomerRegistration,
    RegistrationStatus,
    TechnicalTeam,
    User,
)
from banding.accounts.roles import Role
from banding.appeals.models import (
    Appeal,
    Channel,
    Document,
    InvitationMode,
    Note,
    PanelInvitation,
    PanelSeat,
    Status,
    Step,
)
from banding.appeals.selectors import panel_candidates
from banding.audit.models import Event
from banding.notifications.models import Mail, Notification
from banding.platform import demo
from banding.platform.management.commands import serve as serve_command
from banding.survey import selectors as survey
from banding.survey.models import SurveyResponse

README = Path(__file__).resolve().parents[2] / "README.md"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Group,
            TechnicalTeam,
            CustomerOrganization,
            Appeal,
            Step,
            PanelSeat,
            Document,
            Note,
            Event,
            PanelInvitation,
            SurveyResponse,
            CustomerRegistration,
            Notification,
            Mail,
        )
    } | {
        "memberships": TechnicalTeam.members.through.objects.count(),
        "user_groups": User.groups.through.objects.count(),
    }


@pytest.mark.django_db
def test_demo_seeds_an_account_for_every_role():
    demo.seed()

    def holders(role: str) -> set[str]:
        return set(User.objects.filter(groups__name=role).values_list("username", flat=True))

    assert holders(Role.PJTK_STAFF) >= {"staf"}
    assert holders(Role.PJTK_LEAD) == {"ketua"}
    assert holders(Role.HEAD) == {"kepala"}
    assert holders(Role.AUDITOR) == {"auditor"}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    teams = {
        t.code: set(t.members.values_list("username", flat=True))
        for t in TechnicalTeam.objects.all()
    }
    assert teams == {"pengujian": {"teknis.uji"}, "kalibrasi-sertifikasi": {"teknis.kal"}}
    assert panel_candidates().count() >= 4
    customers = User.objects.filter(organization__isnull=False)
    assert {c.organization.name for c in customers} == set(demo.ORGANIZATIONS)
    assert not customers.filter(groups__isnull=False).exists()
    staff = User.objects.filter(groups__isnull=False).distinct()
    assert all(u.nip and u.position for u in staff)
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in User.objects.all())


@pytest.mark.django_db
def test_demo_appeals_stand_at_the_promised_steps_in_both_branches():
    demo.seed()

    standing = sorted((a.status, a.current_step or 0, a.relevant) for a in Appeal.objects.all())
    assert standing == [
        (Status.CLOSED, 0, True),
        (Status.CLOSED, 0, True),
        (Status.OPEN, 2, None),
        (Status.OPEN, 3, None),
        (Status.OPEN, 4, False),
        (Status.OPEN, 5, True),
        (Status.OPEN, 7, True),
        (Status.OPEN, 10, True),
        (Status.REJECTED, 0, False),
    ]
    at_seven = Appeal.objects.get(current_step=7)
    seats = at_seven.panel_seats.all()
    assert len(seats) == 3 and all(s.declared_at for s in seats)
    assert at_seven.notes.count() == 2
    for closed in Appeal.objects.filter(status=Status.CLOSED):
        assert closed.archive_cabinet and closed.delivered_at and closed.decision_approved_at
    numbers = list(Appeal.objects.order_by("sequence").values_list("sequence", flat=True))
    assert numbers == list(range(1, 10))


@pytest.mark.django_db
def test_demo_shows_the_customer_side_of_the_portal():
    demo.seed()

    online = Appeal.objects.get(current_step=2)
    assert online.channel == Channel.PORTAL
    assert online.steps.get(number=1).completed_by.username == "pelanggan.prima"
    assert online.steps.get(number=2).completed_at is None  # staff PJTK's turn
    invitation = PanelInvitation.objects.get()
    assert invitation.appeal.current_step == 7
    assert invitation.mode == InvitationMode.WRITTEN and invitation.response == ""
    answered = list(SurveyResponse.objects.select_related("appeal", "respondent"))
    assert len(answered) == 3
    assert all(r.respondent.organization_id == r.appeal.organization_id for r in answered)
    assert {r.appeal.status for r in answered} == {Status.CLOSED, Status.REJECTED}
    assert survey.results(survey.Period.year(timezone.localdate().year)).ikm is not None
    waiting = CustomerRegistration.objects.select_related("user").get()
    assert waiting.status == RegistrationStatus.PENDING and waiting.email_verified_at
    assert waiting.user.username == demo.REGISTRANT.email and waiting.user.is_active
    assert waiting.user.check_password(demo.DEMO_PASSWORD)
    assert Mail.objects.filter(kind="account_verify", to_user=waiting.user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "landing"),
    [("pelanggan.sinar", "/portal/"), (demo.REGISTRANT.email, "/portal/"), ("staf", "/")],
)
def test_demo_accounts_land_where_their_work_is(client, username, landing):
    demo.seed()

    response = client.post(
        "/masuk/", {"username": username, "password": demo.DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.weasyprint
def test_demo_letters_are_well_formed_pdf_files():
    demo.seed()

    for doc in Document.objects.all():
        with doc.file.open("rb") as f:
            content = f.read()
        assert doc.content_type == "application/pdf"
        assert content.startswith(b"%PDF-1.4") and content.endswith(b"%%EOF\n")
        xref = int(content.rsplit(b"startxref\n", 1)[1].split()[0])
        entries = content[xref:].split(b"\n")[3:8]  # after "xref", "0 6", the free entry
        for number, entry in enumerate(entries, start=1):
            offset = int(entry.split()[0])
            assert content[offset:].startswith(b"%d 0 obj" % number)


@pytest.mark.django_db
def test_demo_seeding_twice_changes_nothing():
    first = demo.seed()
    before = counts()

    second = demo.seed()

    assert first.accounts_created == len(demo.ACCOUNTS) and first.registrant_created
    assert len(first.appeals_created) == len(demo.APPEALS)
    assert (second.accounts_created, second.appeals_created, second.registrant_created) == (
        0,
        [],
        False,
    )
    assert counts() == before


class FakeWorker:
    pid = 0

    def terminate(self) -> None:
        pass

    def wait(self) -> int:
        return 0


@pytest.mark.django_db
def test_demo_command_prints_the_accounts_and_serves_on_the_given_address(monkeypatch):
    served = []
    monkeypatch.setattr(
        "banding.platform.management.commands.demo.serve", lambda **kw: served.append(kw)
    )
    # No real worker process here: tests/sla/test_worker.py covers the one demo starts.
    monkeypatch.setattr(
        "banding.platform.management.commands.demo.start_worker", lambda env: FakeWorker()
    )

    output = run("demo", "--host", "0.0.0.0", "--port", "8123")

    for account in (*demo.ACCOUNTS, demo.REGISTRANT):
        login = getattr(account, "username", getattr(account, "email", ""))
        assert re.search(rf"^{re.escape(login)}\s+{re.escape(account.role)}\s", output, re.M)
    assert f"kata sandi semua akun: {demo.DEMO_PASSWORD}" in output
    assert "/portal/" in output
    assert str(Path(settings.VAR_DIR) / "mail") in output or "SMTP" in output
    assert len(served) == 1
    assert {k: served[0][k] for k in ("host", "port", "workers", "threads")} == {
        "host": "0.0.0.0",
        "port": 8123,
        "workers": serve_command.default_workers(),
        "threads": serve_command.THREADS,
    }


@pytest.mark.django_db
def test_demo_command_run_again_says_nothing_changed():
    run("demo", "--no-serve")

    output = run("demo", "--no-serve")

    assert "Data demo sudah ada; tidak ada yang diubah." in output


def test_readme_lists_every_demo_account_with_the_password():
    readme = README.read_text(encoding="utf-8")

    for account in demo.ACCOUNTS:
        assert f"`{account.username}`" in readme
    assert f"`{demo.REGISTRANT.email}`" in readme
    assert demo.DEMO_PASSWORD in readme
    assert readme.splitlines()[1].startswith("uv run banding demo")


def test_serve_runs_gunicorn_on_the_wsgi_application():
    command = serve_command.gunicorn_command(host="0.0.0.0", port=9000, workers=3)

    assert Path(command[0]).name in {"gunicorn", Path(serve_command.sys.executable).name}
    assert command[command.index("--bind") + 1] == "0.0.0.0:9000"
    assert command[command.index("--workers") + 1] == "3"
    assert "banding.wsgi:application" in command


def test_serve_refuses_an_impossible_port():
    with pytest.raises(CommandError, match=re.escape("Port 70000 tidak sah; gunakan 1-65535.")):
        run("serve", "--port", "70000")


@pytest.mark.django_db
def test_demo_refuses_an_impossible_port_before_touching_the_database():
    with pytest.raises(CommandError, match=re.escape("Port 0 tidak sah; gunakan 1-65535.")):
        run("demo", "--port", "0")

    assert not User.objects.exists()
