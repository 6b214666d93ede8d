"""The demo's people and cases (banding.platform.demo seeds them through the services): the
accounts of every role, the customer organisations, a self-registration waiting for staff
confirmation, and the appeals with how far along the SOP each is driven."""

from __future__ import annotations

from dataclasses import dataclass, field

from banding.accounts.roles import Role
from banding.appeals.models import Channel, Decision, ServiceType
from banding.sop import definition as sop

DEMO_PASSWORD = "sibanding-demo"  # every demo account's, published in README.md

# --- accounts ------------------------------------------------------------------------------

TEAMS = {
    "pengujian": "Tim Pengujian",
    "kalibrasi-sertifikasi": "Tim Kalibrasi dan Sertifikasi",
}

ORGANIZATIONS = {
    "PT Sinar Kimia Nusantara": {
        "address": "Jl. Raya Bekasi Km. 21, Pulogadung, Jakarta Timur 13920",
        "email": "qa@sinarkimia.example",
        "phone": "021-4608123",
    },
    "CV Kemasan Prima Mandiri": {
        "address": "Kawasan Industri Jababeka II Blok C-7, Cikarang, Bekasi 17530",
        "email": "mutu@kemasanprima.example",
        "phone": "021-8983345",
    },
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str  # as shown in the accounts table
    groups: tuple[str, ...] = ()
    nip: str = ""
    position: str = ""
    teams: tuple[str, ...] = ()
    organization: str = ""
    superuser: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", "Andi", "Pratama", "Administrator", (Role.ADMIN,),
        "19850704 201101 1 003", "Pranata Komputer Ahli Muda", superuser=True,
    ),
    DemoAccount(
        "staf", "Siti", "Rahmawati", "Staff PJTK", (Role.PJTK_STAFF,),
        "19910312 201503 2 004", "Pengelola Layanan Pelanggan",
    ),
    DemoAccount(
        "ketua", "Rina", "Kusumawati", "Ketua Tim PJTK", (Role.PJTK_LEAD,),
        "19800521 200501 2 002", "Ketua Tim Pelayanan Jasa Teknis dan Kemitraan",
    ),
    DemoAccount(
        "kepala", "Bambang", "Hermawan", "Kepala Balai", (Role.HEAD,),
        "19720815 199803 1 001", "Kepala Balai Besar",
    ),
    DemoAccount(
        "teknis.uji", "Agus", "Setiawan", "Tim Teknis — Tim Pengujian", (Role.TECHNICAL,),
        "19830217 200902 1 005", "Koordinator Tim Pengujian", teams=("pengujian",),
    ),
    DemoAccount(
        "teknis.kal", "Dewi", "Lestari", "Tim Teknis — Tim Kalibrasi dan Sertifikasi",
        (Role.TECHNICAL,), "19870909 201012 2 006",
        "Koordinator Tim Kalibrasi dan Sertifikasi", teams=("kalibrasi-sertifikasi",),
    ),
    DemoAccount(
        "hendra", "Hendra", "Wijaya", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19790130 200604 1 002", "Penguji Mutu Barang Ahli Madya",
    ),
    DemoAccount(
        "nuraini", "Nur", "Aini", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19860611 201101 2 008", "Pengendali Mutu Ahli Muda",
    ),
    DemoAccount(
        "yusuf", "Yusuf", "Hidayat", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19900402 201402 1 003", "Analis Kalibrasi",
    ),
    DemoAccount(
        "maria", "Maria", "Simanjuntak", "Staff PJTK (dapat duduk di panel)",
        (Role.PJTK_STAFF,), "19881125 201212 2 001", "Penguji Mutu Barang Ahli Muda",
    ),
    DemoAccount(
        "auditor", "Ratna", "Sari", "Auditor", (Role.AUDITOR,),
        "19820707 200801 2 004", "Auditor Internal Sistem Manajemen Mutu",
    ),
    DemoAccount(
        "pelanggan.sinar", "Budi", "Santoso", "Pelanggan — PT Sinar Kimia Nusantara",
        position="Manajer Mutu", organization="PT Sinar Kimia Nusantara",
    ),
    DemoAccount(
        "pelanggan.prima", "Lina", "Marlina", "Pelanggan — CV Kemasan Prima Mandiri",
        position="Kepala Laboratorium", organization="CV Kemasan Prima Mandiri",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoRegistrant:
    """A customer who registered on the portal and verified the e-mail address; the account
    logs in (username = the address) but sees no appeal until staff confirm it."""

    email: str
    name: str
    phone: str
    organization_name: str

    @property
    def role(self) -> str:
        return f"Pendaftar — {self.organization_name} (menunggu konfirmasi)"


REGISTRANT = DemoRegistrant(
    email="wahyu@mitraanalitika.example",
    name="Wahyu Nugroho",
    phone="0812-8800-4411",
    organization_name="PT Mitra Analitika Indonesia",
)


# --- appeals -------------------------------------------------------------------------------


# Step 2's answer where a demo appeal names nobody involved.
NO_INVOLVED = (
    "Keluhan semula dijawab berdasarkan rekaman data sistem; tidak ada pegawai yang menangani "
    "langsung pekerjaan yang dibanding."
)


@dataclass(frozen=True)
class DemoAppeal:
    """One demo appeal and how far along the SOP it is driven."""

    complaint_reference: str  # marks the demo appeal: seeding skips it when it exists
    organization: str
    contact: str  # username of the customer contact
    channel: str
    days_ago: int
    service_type: str
    reference_document: str
    grounds: str
    remedy_sought: str
    until: int  # drive the appeal until it stands at this step (sop.END: closed)
    relevant: bool = True
    team: str = ""
    involved: tuple[str, ...] = ()  # step 2: the staff involved; none: NO_INVOLVED says why
    panel: tuple[str, ...] = ()  # the first is the chair
    decision: str = Decision.ACCEPTED
    remedy: str = ""
    reasons: str = ""
    missing: tuple[str, ...] = field(default=())  # checklist items found missing at step 3
    portal: bool = False  # submitted by the contact on the portal (else registered by staff)
    invitation: str = ""  # at step 7: the panel asks for a written explanation (the message)
    survey: tuple[int, ...] = ()  # once closed: the contact's nine survey scores, u1 … u9
    comment: str = ""  # and the survey's comment
    considerations: str = ""  # at step 10: the decision letter's considerations (prose)
    # At step 4: working minutes between signing the rejection letter and sending it (a step
    # past its standard time shows in the SOP monitoring report).
    late_minutes: int = 0


APPEALS: tuple[DemoAppeal, ...] = (
    DemoAppeal(
        complaint_reference="KEL/2026/031",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.EMAIL,
        days_ago=0,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0412",
        grounds=(
            "Hasil uji kadar timbal (Pb) pada cat tembok 2,8 mg/kg, sedangkan laboratorium "
            "internal kami memperoleh 0,9 mg/kg. Penanganan keluhan menyatakan hasil sudah "
            "benar tanpa menjelaskan ketidakpastian pengukuran."
        ),
        remedy_sought="Pengujian ulang sampel arsip dengan disaksikan perwakilan kami.",
        until=3,
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/027",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.COURIER,
        days_ago=0,
        service_type=ServiceType.CERTIFICATION,
        reference_document="SPPT-SNI/0198/2026",
        grounds="Kami keberatan atas biaya surveilan sertifikasi yang naik dari tahun lalu.",
        remedy_sought="Biaya surveilan disesuaikan dengan tarif tahun lalu.",
        until=4,
        relevant=False,
        reasons=(
            "Keberatan menyangkut tarif layanan (PNBP) yang ditetapkan peraturan, bukan hasil "
            "kegiatan teknis; di luar lingkup banding."
        ),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/019",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.IN_PERSON,
        days_ago=9,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0301",
        grounds="Laporan hasil uji terbit tiga hari lebih lambat dari yang dijanjikan.",
        remedy_sought="Pengembalian biaya layanan percepatan.",
        until=sop.END,
        relevant=False,
        missing=("Dokumen pendukung",),
        reasons=(
            "Keterlambatan sudah ditangani sebagai keluhan dan tidak mengubah hasil uji; "
            "banding tidak relevan."
        ),
        survey=(3, 3, 2, 4, 3, 3, 3, 3, 3),
        comment="Alasan penolakan jelas; semoga keterlambatan laporan tidak terulang.",
        late_minutes=600,
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/029",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.EMAIL,
        days_ago=0,
        service_type=ServiceType.CALIBRATION,
        reference_document="SK/KAL/2026/0733",
        grounds=(
            "Sertifikat kalibrasi timbangan analitik mencantumkan koreksi +0,8 mg pada 200 g, "
            "jauh dari kalibrasi sebelumnya (+0,1 mg), tanpa penjelasan."
        ),
        remedy_sought="Kalibrasi ulang di tempat tanpa biaya dan sertifikat pengganti.",
        until=5,
        team="kalibrasi-sertifikasi",
        involved=("yusuf",),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/022",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.EMAIL,
        days_ago=0,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0388",
        grounds=(
            "Uji migrasi total kemasan plastik dinyatakan tidak memenuhi syarat, padahal "
            "simulan dan suhu uji yang dipakai tidak sesuai dengan permintaan kami."
        ),
        remedy_sought="Pengujian ulang dengan simulan sesuai SNI dan koreksi laporan.",
        until=7,
        team="pengujian",
        involved=("maria",),
        panel=("hendra", "nuraini", "yusuf"),
        invitation=(
            "Mohon penjelasan tertulis tentang simulan dan suhu uji yang Saudara minta, "
            "dengan salinan formulir permintaan pengujian yang ditandatangani."
        ),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/014",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.COURIER,
        days_ago=0,
        service_type=ServiceType.PT_TESTING,
        reference_document="UP/PJ/2026/07",
        grounds=(
            "Nilai z-score kami untuk parameter kadar air dinilai tidak memuaskan, padahal "
            "nilai acuan yang dipakai berbeda dengan laporan sementara penyelenggara."
        ),
        remedy_sought="Evaluasi ulang unjuk kerja dengan nilai acuan yang benar.",
        until=10,
        team="pengujian",
        panel=("nuraini", "hendra", "maria"),
        decision=Decision.PARTLY,
        remedy="Evaluasi ulang parameter kadar air dan penerbitan laporan akhir revisi.",
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/008",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.IN_PERSON,
        days_ago=25,
        service_type=ServiceType.INSPECTION,
        reference_document="LHI/2026/0045",
        grounds=(
            "Laporan inspeksi tangki timbun menyatakan ketebalan pelat di bawah batas, "
            "berbeda dengan pengukuran ultrasonik kami pada titik yang sama."
        ),
        remedy_sought="Inspeksi ulang pada titik yang disengketakan.",
        until=sop.END,
        team="kalibrasi-sertifikasi",
        panel=("maria", "hendra", "nuraini"),
        decision=Decision.ACCEPTED,
        remedy="Inspeksi ulang tanpa biaya dan penerbitan laporan inspeksi pengganti.",
        considerations=(
            "Pengukuran ulang ultrasonik oleh Tim Panel pada titik yang disengketakan "
            "menunjukkan ketebalan pelat di atas batas; kalibrasi probe pada inspeksi semula "
            "tidak tertelusur."
        ),
        survey=(4, 3, 3, 4, 4, 4, 3, 4, 4),
        comment="Panel menjelaskan temuannya dengan terbuka; inspeksi ulang dijadwalkan cepat.",
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/011",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.EMAIL,
        days_ago=20,
        service_type=ServiceType.CALIBRATION,
        reference_document="SK/KAL/2026/0561",
        grounds=(
            "Ketidakpastian pengukuran pada sertifikat kalibrasi termometer digital kami "
            "dua kali lebih besar dari sertifikat tahun lalu."
        ),
        remedy_sought="Perhitungan ulang ketidakpastian dan sertifikat pengganti.",
        until=sop.END,
        team="kalibrasi-sertifikasi",
        panel=("yusuf", "nuraini", "maria"),
        decision=Decision.DISMISSED,
        considerations=(
            "Perhitungan ketidakpastian pada sertifikat telah sesuai dengan metode yang "
            "terakreditasi; perbedaan dengan tahun lalu berasal dari penggantian standar acuan."
        ),
        survey=(3, 4, 3, 3, 3, 4, 4, 3, 4),
        comment="Prosesnya terbuka walaupun keputusannya tidak sesuai harapan kami.",
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/035",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.PORTAL,
        days_ago=0,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0457",
        grounds=(
            "Kadar air tepung tapioka pada laporan hasil uji 14,9 %, sedangkan sampel duplikat "
            "yang kami kirim ke laboratorium lain terakreditasi memperoleh 12,6 %."
        ),
        remedy_sought="Pengujian ulang sampel arsip dan laporan hasil uji pengganti.",
        until=2,
        portal=True,
    ),
)
