"""The words of the generated history: names, organisations, grounds and remedies, reasons,
notes. Pools are built once per run from a seeded generator, so each appeal only picks."""

from __future__ import annotations

import random

from banding.appeals.models import ServiceType

FIRST_NAMES = [
    "Adi",
    "Agus",
    "Ahmad",
    "Aisyah",
    "Andi",
    "Anisa",
    "Arif",
    "Ayu",
    "Bambang",
    "Bayu",
    "Budi",
    "Cahya",
    "Citra",
    "Dedi",
    "Dewi",
    "Dian",
    "Dimas",
    "Eka",
    "Endang",
    "Fajar",
    "Fitri",
    "Gita",
    "Hadi",
    "Hana",
    "Hendra",
    "Indah",
    "Irfan",
    "Joko",
    "Kartika",
    "Lestari",
    "Lina",
    "Made",
    "Maya",
    "Nanda",
    "Nur",
    "Putri",
    "Rahmat",
    "Ratna",
    "Reza",
    "Rina",
    "Rizki",
    "Sari",
    "Siti",
    "Slamet",
    "Sri",
    "Taufik",
    "Tri",
    "Wahyu",
    "Wulan",
    "Yanti",
    "Yoga",
    "Yudi",
]
LAST_NAMES = [
    "Andriani",
    "Gunawan",
    "Halim",
    "Harahap",
    "Hasibuan",
    "Hidayat",
    "Kurniawan",
    "Lubis",
    "Maharani",
    "Nasution",
    "Nugroho",
    "Pane",
    "Permana",
    "Pratama",
    "Purnomo",
    "Rahayu",
    "Saputra",
    "Setiadi",
    "Siregar",
    "Sitompul",
    "Sulistyo",
    "Susanto",
    "Tanjung",
    "Utomo",
    "Wibowo",
    "Wijaya",
    "Yulianti",
]
ORG_FORMS = ("PT", "PT", "PT", "CV", "PT", "Koperasi", "PD", "PT")
ORG_WORDS = [
    "Sinar",
    "Cahaya",
    "Mitra",
    "Karya",
    "Prima",
    "Sentosa",
    "Abadi",
    "Jaya",
    "Makmur",
    "Bina",
    "Tunas",
    "Mega",
    "Nusa",
    "Indo",
    "Artha",
    "Sejahtera",
    "Mandiri",
    "Lestari",
    "Utama",
    "Surya",
    "Gemilang",
    "Bumi",
    "Samudra",
    "Permata",
    "Anugerah",
]
ORG_TRADES = [
    "Kimia",
    "Farmasi",
    "Kemasan",
    "Plastik",
    "Pangan",
    "Kosmetik",
    "Cat",
    "Pupuk",
    "Laboratorium",
    "Polimer",
    "Kertas",
    "Logam",
    "Tekstil",
    "Elektronik",
    "Obat",
    "Herbal",
    "Minyak",
]
CITIES = [
    "Bogor",
    "Bekasi",
    "Cikarang",
    "Karawang",
    "Tangerang",
    "Serang",
    "Cilegon",
    "Bandung",
    "Cimahi",
    "Purwakarta",
    "Semarang",
    "Surabaya",
    "Sidoarjo",
    "Gresik",
    "Medan",
    "Makassar",
    "Palembang",
    "Batam",
    "Jakarta",
    "Depok",
]

PARAMETERS = {
    ServiceType.TESTING: (
        "kadar air",
        "kadar timbal (Pb)",
        "migrasi total",
        "kadar abu",
        "pH",
        "kuat tarik",
        "kadar formaldehida",
        "cemaran mikroba",
    ),
    ServiceType.CALIBRATION: (
        "koreksi timbangan analitik",
        "ketidakpastian termometer digital",
        "koreksi pipet volumetrik",
        "kalibrasi oven",
        "koreksi anak timbangan",
    ),
    ServiceType.CERTIFICATION: (
        "surveilan SPPT-SNI",
        "audit kesesuaian produk",
        "pengambilan contoh produk",
        "penilaian sistem mutu",
    ),
    ServiceType.INSPECTION: (
        "ketebalan pelat tangki",
        "kebocoran bejana tekan",
        "kondisi instalasi gudang",
    ),
    ServiceType.PT_TESTING: ("z-score kadar air", "z-score kadar protein", "nilai acuan pH"),
    ServiceType.OTHER: ("jadwal layanan", "penerbitan laporan", "rekaman data pengujian"),
}
DOC_PREFIX = {
    ServiceType.TESTING: "LHU/PJ",
    ServiceType.CALIBRATION: "SK/KAL",
    ServiceType.CERTIFICATION: "SPPT-SNI",
    ServiceType.INSPECTION: "LHI",
    ServiceType.PT_TESTING: "UP/PJ",
    ServiceType.OTHER: "BA/PJTK",
}
GROUNDS = (
    "Hasil {p} pada laporan {d} berbeda jauh dengan hasil laboratorium internal kami.",
    "Penanganan keluhan menyatakan hasil {p} sudah benar tanpa menjelaskan ketidakpastian "
    "pengukuran.",
    "Metode yang dipakai untuk {p} tidak sesuai dengan permintaan pengujian kami.",
    "Sampel duplikat yang kami kirim ke laboratorium lain terakreditasi memberi hasil {p} "
    "yang memenuhi syarat.",
    "Kondisi sampel saat diterima tidak dicatat, sehingga hasil {p} patut diragukan.",
    "Kami keberatan karena {p} dinilai tidak memenuhi syarat tanpa data mentah pendukung.",
    "Laporan {d} terbit terlambat dan hasil {p} tidak dapat kami gunakan untuk pengiriman.",
    "Nilai {p} pada laporan {d} tidak konsisten dengan hasil periode sebelumnya.",
)
REMEDIES = (
    "Pengujian ulang sampel arsip dengan disaksikan perwakilan kami.",
    "Penerbitan laporan pengganti setelah {p} dihitung ulang.",
    "Kalibrasi ulang di tempat tanpa biaya dan sertifikat pengganti.",
    "Evaluasi ulang hasil {p} dengan nilai acuan yang benar.",
    "Penjelasan tertulis atas perhitungan {p} dan ketidakpastiannya.",
    "Pengembalian biaya layanan atas laporan {d}.",
)
NOT_RELEVANT = (
    "Keberatan menyangkut tarif layanan (PNBP) yang ditetapkan peraturan, bukan hasil kegiatan "
    "teknis; di luar lingkup banding.",
    "Keterlambatan sudah ditangani sebagai keluhan dan tidak mengubah hasil; banding tidak "
    "relevan.",
    "Permohonan tidak menyangkut hasil penanganan keluhan yang dibanding.",
    "Dokumen pendukung tidak memuat data yang dapat dinilai; banding tidak relevan.",
)
RELEVANT = "Banding menyangkut hasil kegiatan teknis Balai."
NOTES = (
    "Rekaman data mentah dan log alat untuk sampel ini sudah diperiksa.",
    "Sertifikat kalibrasi alat yang dipakai masih berlaku pada tanggal pengujian.",
    "Rekaman kondisi lingkungan laboratorium pada hari pengujian ditelusuri.",
    "Analis yang menguji diwawancarai; prosedur diikuti sesuai instruksi kerja.",
    "Hasil uji banding antarlaboratorium periode yang sama dibandingkan.",
)
CONTACTS = (
    "Menelepon narahubung pelanggan untuk meminta data pembanding.",
    "Menerima penjelasan lisan pelanggan tentang metode laboratorium internalnya.",
    "Meminta salinan formulir permintaan pengujian yang ditandatangani pelanggan.",
)
MINUTES = (
    "Panel membahas laporan investigasi dan penjelasan pelanggan.",
    "Panel meninjau data mentah, hasil uji ulang dan rekaman mutu terkait.",
    "Panel menilai temuan investigasi terhadap persyaratan metode dan kontrak.",
)
DECISION_REASONS = "Hasil investigasi, data mentah dan penjelasan pelanggan dipertimbangkan panel."
REMEDY_DECIDED = (
    "Pengujian ulang sampel arsip tanpa biaya dan penerbitan laporan pengganti.",
    "Perhitungan ulang ketidakpastian dan penerbitan sertifikat pengganti.",
    "Evaluasi ulang parameter yang disengketakan dan koreksi laporan.",
    "Inspeksi ulang pada titik yang disengketakan tanpa biaya.",
)
RETURN_REASONS = (
    "Pertimbangan keputusan belum menjawab seluruh alasan banding.",
    "Tindakan pemulihan belum dirinci; mohon dilengkapi.",
    "Notulen belum memuat pendapat anggota panel yang berbeda.",
)
COMMENTS = (
    "",
    "",
    "Prosesnya terbuka walaupun keputusannya tidak sesuai harapan kami.",
    "Panel menjelaskan temuannya dengan jelas.",
    "Mohon waktu penyelesaian dipercepat.",
    "Pelayanan baik dan komunikatif.",
)
DISPOSITION = "Setuju, segera tindak lanjuti."
DISPOSITION_NOTE = "Sampaikan keputusan kepada pelanggan."
PROPOSAL_NOTE = "Susunan panel dikoordinasikan dengan Kepala Balai."
PLACES = ("Ruang Rapat Lantai 2", "Ruang Rapat Utama", "Ruang Rapat Laboratorium", "Daring (Zoom)")
REPORT_SUMMARY = "Temuan: data mentah, log alat dan rekaman pelaksanaan telah ditelusuri."


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def organization_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct organisation names."""
    names: dict[str, None] = {}
    while len(names) < count:
        words = rng.sample(ORG_WORDS, 2)
        name = f"{rng.choice(ORG_FORMS)} {words[0]} {rng.choice(ORG_TRADES)} {words[1]}"
        if len(names) >= len(ORG_WORDS) * 20:
            name += f" {rng.choice(CITIES)}"
        names.setdefault(name, None)
    return list(names)


def case_texts(rng: random.Random, service: str, count: int) -> list[tuple[str, str, str]]:
    """`count` (grounds, remedy, reference document) for a service type; the grounds name
    the parameter and the document."""
    params = PARAMETERS.get(service, PARAMETERS[ServiceType.OTHER])
    prefix = DOC_PREFIX.get(service, "BA/PJTK")
    pairs = []
    for _ in range(count):
        p = rng.choice(params)
        d = f"{prefix}/{rng.randint(2019, 2026)}/{rng.randint(1, 999):04d}"
        first, second = rng.sample(GROUNDS, 2)
        grounds = f"{first.format(p=p, d=d)} {second.format(p=p, d=d)}"
        pairs.append((grounds, rng.choice(REMEDIES).format(p=p, d=d), d))
    return pairs
