"""Who the generated history is about: the demo accounts (seeded by banding.platform.demo, so a
person can log in as the demo head or staff), a few extra technical teams with members, one
extra PJTK staff, and many customer organisations each with its contact accounts.

Everything here is found by name or username before it is created, so a second run reuses
it. The people are then read back the way the product reads them (banding.appeals.actors):
who plays each SOP actor is who gets the notices the services would write."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import ACTOR_ROLES, Role
from banding.platform import demo
from banding.sop.definition import Actor
from bench.bulk import texts
from bench.bulk.formats import uuid_hex

# Extra technical teams; each gets TEAM_SIZE technical members.
BULK_TEAMS = {
    "bulk-kimia-organik": "Tim Pengujian Kimia Organik",
    "bulk-kemasan": "Tim Pengujian Kemasan",
    "bulk-mikrobiologi": "Tim Pengujian Mikrobiologi",
    "bulk-kalibrasi-massa": "Tim Kalibrasi Massa dan Volume",
    "bulk-sertifikasi": "Tim Sertifikasi Produk",
    "bulk-inspeksi": "Tim Inspeksi Teknis",
}
TEAM_SIZE = 3
BULK_STAFF = ("bulk.staf.1",)
MIN_ORGANIZATIONS = 20
APPEALS_PER_ORGANIZATION = 50


@dataclass(frozen=True)
class Person:
    id: int
    public_id: str  # hex, as stored
    name: str  # display_name
    email: str


@dataclass
class Cast:
    people: dict[int, Person]
    players: dict[str, tuple[int, ...]]  # actor (STF, KTP, KAB) -> active role holders
    teams: list[tuple[int, str, str]]  # (id, code, name)
    team_members: dict[int, tuple[int, ...]]  # team id -> active technical members
    panel_pool: tuple[int, ...]  # who may sit on a panel
    organizations: list[tuple[int, str, str]]  # (id, name, phone)
    customers: dict[int, tuple[int, ...]]  # organisation id -> its customer accounts
    weights: list[float] = field(default_factory=list)  # how often each organisation appeals

    def name(self, user_id: int) -> str:
        return self.people[user_id].name


def ensure(rng: random.Random, appeals: int) -> Cast:
    """Create what is missing, then read everyone back."""
    # Drawn first, whatever exists already: the same organisation names on every run (a
    # second run finds them), however many staff accounts the first one had to create.
    organizations_rng = random.Random(rng.getrandbits(64))
    usernames = [a.username for a in demo.ACCOUNTS]
    password = _Password()
    demo_accounts = User.objects.filter(username__in=usernames)
    # Hashes the password once: only when an account is missing. A new account's hash is the
    # demo password's, so it serves the accounts made here too (hashing takes half a second).
    if demo_accounts.count() < len(usernames) and demo.seed_accounts():
        password.hashed = demo_accounts.order_by("-pk").values_list("password", flat=True)[0]
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    for code, name in BULK_TEAMS.items():
        team, _ = TechnicalTeam.objects.get_or_create(code=code, defaults={"name": name})
        for i in range(1, TEAM_SIZE + 1):
            username = f"bulk.{code.removeprefix('bulk-')}.{i}"
            user = _staff(username, rng, password, groups[Role.TECHNICAL])
            team.members.add(user)
    for username in BULK_STAFF:
        _staff(username, rng, password, groups[Role.PJTK_STAFF])
    count = max(MIN_ORGANIZATIONS, appeals // APPEALS_PER_ORGANIZATION)
    _organizations(organizations_rng, count, password)
    return read_cast(rng)


def _uuid(rng: random.Random) -> uuid.UUID:
    """A public id from the seeded generator, so that a run is reproducible."""
    return uuid.UUID(uuid_hex(rng))


def _uuid_of(kind: str, name: str) -> uuid.UUID:
    """The public id of the organisation or account named so: reproducible, and never one
    an earlier run gave to another name (drawn from a shared generator, a later run's ids
    could repeat an earlier run's, whose draws started elsewhere in the same stream)."""
    return _uuid(random.Random(f"bulk:{kind}:{name}"))


class _Password:
    """The demo password's hash, computed on first use only (hashing takes a while)."""

    def __init__(self) -> None:
        self.hashed = ""

    def __str__(self) -> str:
        if not self.hashed:
            self.hashed = make_password(demo.DEMO_PASSWORD)
        return self.hashed


def _staff(username: str, rng: random.Random, password: _Password, group: Group) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, last = texts.person_name(rng)
        user = User.objects.create(
            public_id=_uuid_of("user", username),
            username=username,
            password=str(password),
            email=f"{username}@balai.example.go.id",
            first_name=first,
            last_name=last,
            position="Pegawai (data uji volume)",
        )
        user.groups.add(group)
    return user


def _organizations(rng: random.Random, count: int, password: _Password) -> None:
    """`count` organisations (those missing are created, with one or two contact accounts
    each), in a few queries: a big run names thousands."""
    names = texts.organization_names(rng, count)
    existing = set(
        CustomerOrganization.objects.filter(name__in=names).values_list("name", flat=True)
    )
    new = []
    for name in names:
        if name in existing:
            continue
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:60]
        phone = f"0{rng.randint(21, 778)}-{rng.randint(1000000, 9999999)}"
        org = CustomerOrganization(
            public_id=_uuid_of("organization", name),
            name=name,
            address=f"Kawasan Industri {rng.choice(texts.CITIES)}",
            email=f"mutu@{slug}.example",
            phone=phone,
        )
        contacts = []
        for i in range(1 if rng.random() < 0.8 else 2):
            first, last = texts.person_name(rng)
            contacts.append(
                (first, last, f"{first.lower()}.{last.lower()}{i or ''}@{slug}.example")
            )
        new.append((org, contacts))
    if not new:
        return
    CustomerOrganization.objects.bulk_create([org for org, _ in new])
    taken = set(
        User.objects.filter(
            username__in=[email for _, contacts in new for *_, email in contacts]
        ).values_list("username", flat=True)
    )
    users = []
    for org, contacts in new:
        for first, last, email in contacts:
            if email in taken:
                continue
            taken.add(email)
            users.append(
                User(
                    public_id=_uuid_of("user", email),
                    username=email,
                    password=str(password),
                    email=email,
                    first_name=first,
                    last_name=last,
                    organization=org,
                    phone=org.phone,
                )
            )
    User.objects.bulk_create(users)


def read_cast(rng: random.Random) -> Cast:
    """Everyone, read as banding.appeals.actors.Players reads them."""
    people = {
        u.pk: Person(u.pk, u.public_id.hex, u.display_name, u.email)
        for u in User.objects.filter(is_active=True).order_by("pk")
    }
    by_role: dict[str, list[int]] = defaultdict(list)
    for name, user_id in (
        User.objects.filter(is_active=True, groups__name__in=Role.values)
        .order_by("pk")
        .values_list("groups__name", "pk")
    ):
        by_role[name].append(user_id)
    players = {
        actor.value: tuple(by_role[role])
        for actor, role in ACTOR_ROLES.items()
        if actor != Actor.TEK
    }
    technical = set(by_role[Role.TECHNICAL])
    teams = list(TechnicalTeam.objects.order_by("pk").values_list("pk", "code", "name"))
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in TechnicalTeam.members.through.objects.order_by(
        "technicalteam_id", "user_id"
    ).values_list("technicalteam_id", "user_id"):
        if user_id in technical and user_id in people:
            members[team_id].append(user_id)
    teams = [t for t in teams if members.get(t[0])]  # a team nobody plays cannot be chosen
    eligible = {
        *by_role[Role.PJTK_STAFF],
        *by_role[Role.PJTK_LEAD],
        *by_role[Role.TECHNICAL],
    }
    pool = tuple(sorted(u for u in eligible if u in people))
    orgs = list(CustomerOrganization.objects.order_by("pk").values_list("pk", "name", "phone"))
    customers: dict[int, list[int]] = defaultdict(list)
    for user_id, org_id in (
        User.objects.filter(is_active=True, organization__isnull=False, groups__isnull=True)
        .order_by("pk")
        .values_list("pk", "organization_id")
    ):
        customers[org_id].append(user_id)
    orgs = [
        o for o in orgs if customers.get(o[0])
    ]  # appeals come from organisations with a contact
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(orgs))]
    rng.shuffle(weights)  # a few customers appeal often, most rarely
    return Cast(
        people=people,
        players=players,
        teams=teams,
        team_members={k: tuple(v) for k, v in members.items()},
        panel_pool=pool,
        organizations=orgs,
        customers={k: tuple(v) for k, v in customers.items()},
        weights=weights,
    )
