"""SOP 5.1.24/BBSPJIKFK/2025, Penanganan Banding Pelanggan, as data: its steps, with the signed
SOP's cells word for word (tests/sop/SOP-5.1.24.verbatim.md) beside what SiBanding adds to each
step, the outputs they produce and the identity sheet. Callers read it through
banding.sop.definition. The official numbering has no step 8; keep it so."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from banding.sop.types import (
    END,
    Actor,
    Duration,
    Outcome,
    Output,
    Required,
    Result,
    Stage,
    Step,
    Unit,
)

NOTA_DINAS = Output("nota_dinas", "Nota dinas permohonan penyelesaian banding")
SURAT_PENOLAKAN = Output("penolakan", "Surat penolakan banding")
USULAN_PANEL = Output("usulan_panel", "Usulan Tim Panel Banding")
SURAT_TUGAS_PANEL = Output("penunjukan_panel", "Surat tugas penunjukan Tim Panel Banding")
LAPORAN_INVESTIGASI = Output("investigation_report", "Laporan hasil investigasi", letter=False)
DAFTAR_HADIR = Output("daftar_hadir", "Daftar hadir rapat panel")
NOTULEN = Output("notulen", "Notulen rapat panel")
KEPUTUSAN = Output("keputusan", "Keputusan penyelesaian banding")
SURAT_PENYAMPAIAN = Output("penyampaian", "Surat penyampaian keputusan banding")

IMPARTIALITY = (
    "Pihak yang terlibat dalam kegiatan atau keluhan semula tidak dapat ditunjuk "
    "(ISO/IEC 17025 7.9.6)."
)

CALIBRATION_PT_EXCEPTION = N_(
    "Banding terhadap hasil Uji Profisiensi Kalibrasi tidak dapat diterima: sesuai "
    "ISO/IEC 17043:2023, evaluasi unjuk kerja peserta uji profisiensi kalibrasi dilakukan "
    "murni secara statistik berdasarkan prosedur evaluasi, sehingga tidak ada yang dapat "
    "diajukan banding."
)

STEPS: tuple[Step, ...] = (
    Step(
        number=1,
        actor=Actor.PEL,
        title=N_("Pengajuan banding"),
        activity=(
            "Pelanggan mengajukan banding atas ketidakpuasan hasil penyelesaian keluhan dengan "
            "mengirimkan surat permohonan banding melalui email dan/atau ekspedisi atau "
            "disampaikan secara langsung ke staff PJTK"
        ),
        kelengkapan="Surat permohonan banding dan dokumen kelengkapan banding",
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        keterangan=(
            "Pengecualian banding untuk Uji Profisiensi Kalibrasi, sesuai ISO 17043:2023 "
            "evaluasi kinerja dilakukan menggunakan statistik murni yang diturunkan dari "
            "prosedur evaluasi sehingga tidak ada banding"
        ),
        outcomes=(
            Outcome(
                Result.SUBMITTED,
                "Diajukan",
                2,
                milestone=Stage.DITERIMA,
                told=N_("Permohonan banding Anda telah kami terima."),
            ),
        ),
    ),
    Step(
        number=2,
        actor=Actor.STF,
        title=N_("Penerimaan dan pencatatan"),
        activity="Menerima, mencatat dan melaporkan permohonan banding pelanggan",
        kelengkapan="ATK, koneksi internet, dokumen banding pelanggan",
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.RECORDED,
                "Dicatat",
                3,
                told=N_("Permohonan banding Anda diperiksa dan dicatat oleh staff PJTK."),
            ),
        ),
        fields=(
            "organisasi pelanggan",
            "narahubung",
            "saluran",
            "waktu diterima",
            "keluhan yang dibanding (nomor dan tanggal hasil)",
            "jenis layanan",
            "nomor dokumen acuan",
            "alasan banding",
            "penyelesaian yang diminta",
            "surat banding dan dokumen pendukung",
            "pihak yang terlibat",
        ),
    ),
    Step(
        number=3,
        actor=Actor.KTP,
        title=N_("Verifikasi kelengkapan dan relevansi"),
        activity=(
            "Melakukan verifikasi atas kelengkapan dokumen banding dan menilai relevansi "
            "permohonan banding"
        ),
        kelengkapan="Dokumen banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Hasil verifikasi dokumen banding pelanggan",
        keterangan=(
            "Jika permohonan banding relevan, maka Ketua Tim PJTK akan membuat nota dinas ke "
            "Bagian/Tim Teknis dan diketahui Kepala Balai. Jika permohonan banding tidak "
            "relevan, maka staff PJTK akan membuat surat penolakan banding beserta alasannya "
            "dan mengirimkan ke Pelanggan"
        ),
        decision="Banding relevan?",
        outcomes=(
            Outcome(
                Result.RELEVANT,
                "Relevan",
                5,
                milestone=Stage.DIVERIFIKASI,
                told=N_(
                    "Permohonan banding Anda lengkap dan relevan; diteruskan kepada tim teknis."
                ),
            ),
            Outcome(
                Result.NOT_RELEVANT,
                "Tidak relevan",
                4,
                milestone=Stage.DIVERIFIKASI,
                told=N_("Permohonan banding Anda telah diverifikasi."),
            ),
        ),
        outputs=(Required(NOTA_DINAS, when=(Result.RELEVANT,)),),
        record_first=True,
        rules=(
            "Hasil verifikasi dicatat lebih dahulu dan nota dinas dibuat dari catatan itu; "
            "banding yang tidak relevan selesai di langkah 3 tanpa nota dinas.",
        ),
        fields=("daftar periksa kelengkapan", "relevansi", "alasan", "tim teknis tujuan"),
        checklist=(
            "Surat permohonan banding",
            "Identitas pelanggan dan narahubung",
            "Nomor dan hasil penanganan keluhan yang dibanding",
            "Alasan banding",
            "Penyelesaian yang diminta",
            "Dokumen pendukung",
        ),
    ),
    Step(
        number=4,
        actor=Actor.STF,
        title=N_("Surat penolakan banding"),
        activity=(
            "Membuat surat penolakan banding beserta alasannya dan menyampaikan surat penolakan "
            "tersebut ke Pelanggan"
        ),
        kelengkapan="Keputusan penolakan banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Surat penolakan banding pelanggan",
        outcomes=(
            Outcome(
                Result.REJECTED,
                "Ditolak (tidak relevan)",
                END,
                closes_as="rejected",
                milestone=Stage.DITOLAK,
                told=N_(
                    "Permohonan banding Anda tidak dapat diproses; surat penolakan beserta "
                    "alasannya telah disampaikan kepada Anda."
                ),
            ),
        ),
        outputs=(Required(SURAT_PENOLAKAN),),
        fields=("tanggal dikirim", "saluran pengiriman"),
    ),
    Step(
        number=5,
        actor=Actor.TEK,
        title=N_("Usulan Tim Panel Banding"),
        activity=(
            "Menerima nota dinas permohonan penyelesaian banding dan melakukan koordinasi "
            "dengan Kepala Balai untuk pembentukan Tim Panel Banding"
        ),
        kelengkapan=(
            "Nota dinas permohonan penyelesaian banding dan dokumen kelengkapan banding pelanggan"
        ),
        waktu=Duration(1, Unit.DAY),
        output="Usulan Tim Panel Banding",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.PROPOSED,
                "Diusulkan",
                6,
                told=N_("Bagian/Tim Teknis mengusulkan Tim Panel Banding kepada Kepala Balai."),
            ),
        ),
        outputs=(Required(USULAN_PANEL),),
        record_first=True,
        rules=(IMPARTIALITY,),
        fields=("anggota panel yang diusulkan", "ketua panel", "catatan koordinasi"),
    ),
    Step(
        number=6,
        actor=Actor.KAB,
        title=N_("Penunjukan Tim Panel Banding"),
        activity="Menunjuk Tim Panel Banding",
        kelengkapan="Usulan Tim Panel Banding dan dokumen kelengkapan banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Penunjukan Tim Panel Banding",
        outcomes=(
            Outcome(
                Result.APPOINTED,
                "Ditunjuk",
                7,
                milestone=Stage.PANEL_DIBENTUK,
                told=N_("Kepala Balai telah menunjuk Tim Panel Banding; investigasi dimulai."),
            ),
        ),
        outputs=(Required(SURAT_TUGAS_PANEL),),
        record_first=True,
        rules=(IMPARTIALITY,),
        fields=("anggota panel", "ketua panel"),
    ),
    Step(
        number=7,
        actor=Actor.TPB,
        title=N_("Investigasi banding"),
        activity="Melakukan investigasi banding dan mempersiapkan rapat panel banding",
        kelengkapan="Dokumen kelengkapan banding pelanggan",
        waktu=Duration(30, Unit.DAY, maximum=True),
        output="Dokumen hasil investigasi banding pelanggan",
        keterangan=(
            "Dalam proses investigasi, Tim Panel Banding dapat berkoordinasi dan/atau "
            "mengundang Pelanggan untuk menjelaskan permasalahan terkait banding yang diajukan"
        ),
        outcomes=(
            Outcome(
                Result.INVESTIGATED,
                "Investigasi selesai",
                9,
                action="Laporan hasil investigasi",
                milestone=Stage.INVESTIGASI,
                told=N_("Investigasi Tim Panel Banding selesai."),
            ),
        ),
        outputs=(Required(LAPORAN_INVESTIGASI),),
        fields=("catatan investigasi", "kontak dengan pelanggan", "laporan hasil investigasi"),
    ),
    Step(
        number=9,
        actor=Actor.TPB,
        title=N_("Rapat panel dan keputusan"),
        activity=(
            "Menyelenggarakan rapat panel banding dan menyelesaikan banding dengan pihak terkait"
        ),
        kelengkapan=(
            "Dokumen hasil investigasi banding pelanggan, dokumen kelengkapan banding "
            "pelanggan, daftar hadir, notulen rapat"
        ),
        waktu=Duration(1, Unit.DAY),
        output="Notulen rapat dan keputusan penyelesaian banding",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.DECIDED,
                "Diputuskan",
                10,
                milestone=Stage.RAPAT_PANEL,
                told=N_(
                    "Tim Panel Banding telah bersidang; keputusannya menunggu persetujuan "
                    "Kepala Balai."
                ),
            ),
        ),
        outputs=(Required(DAFTAR_HADIR), Required(NOTULEN)),
        record_first=True,
        fields=(
            "tanggal dan tempat rapat",
            "daftar hadir",
            "notulen",
            "keputusan",
            "tindakan perbaikan atau pemulihan",
        ),
    ),
    Step(
        number=10,
        actor=Actor.KAB,
        title=N_("Persetujuan keputusan"),
        activity=(
            "Menyetujui hasil keputusan penyelesaian banding dan mendisposisikan hasil ke Ketua "
            "Tim PJTK dan Bagian/Tim Teknis"
        ),
        kelengkapan="Notulen rapat dan keputusan penyelesaian banding",
        waktu=Duration(1, Unit.DAY),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        decision="Keputusan disetujui?",
        outcomes=(
            Outcome(
                Result.APPROVED,
                "Disetujui",
                11,
                action="Setujui dan disposisikan",
                milestone=Stage.DIPUTUSKAN,
                told=N_(
                    "Keputusan banding Anda telah disetujui Kepala Balai dan akan segera "
                    "disampaikan."
                ),
            ),
            Outcome(
                Result.RETURNED,
                "Dikembalikan ke panel",
                9,
                signed=False,
                action="Kembalikan ke Tim Panel",
                told=N_(
                    "Kepala Balai meminta Tim Panel Banding menyempurnakan keputusannya; rapat "
                    "panel dilanjutkan."
                ),
            ),
        ),
        outputs=(Required(KEPUTUSAN, when=(Result.APPROVED,)),),
        rules=(
            "Bila keputusan belum dapat disetujui, Kepala Balai mengembalikannya kepada Tim "
            "Panel Banding dengan alasannya (langkah 9 dibuka lagi); surat keputusan yang "
            "sudah terbit dicabut dan keputusan berikutnya mendapat surat bernomor baru.",
            "Kepala Balai yang terlibat dalam kegiatan atau keluhan semula tidak dapat "
            "menyetujui keputusan (ISO/IEC 17025 7.9.6).",
        ),
        fields=("persetujuan atau pengembalian", "alasan pengembalian", "isi disposisi"),
    ),
    Step(
        number=11,
        actor=Actor.KTP,
        title=N_("Disposisi ke staff PJTK"),
        activity=(
            "Menerima disposisi hasil keputusan penyelesaian banding dan mendisposisikan kepada "
            "staff PJTK untuk disampaikan ke Pelanggan"
        ),
        kelengkapan="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        waktu=Duration(15, Unit.MINUTE),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        outcomes=(
            Outcome(
                Result.DISPOSITIONED,
                "Didisposisikan",
                12,
                told=N_("Keputusan diteruskan kepada staff PJTK untuk disampaikan kepada Anda."),
            ),
        ),
        outputs=(Required(KEPUTUSAN),),
        fields=("isi disposisi",),
    ),
    Step(
        number=12,
        actor=Actor.STF,
        title=N_("Penyampaian keputusan dan pengarsipan"),
        activity="Menyampaikan hasil keputusan banding kepada pelanggan dan mengarsipkan dokumen",
        kelengkapan=(
            "Keputusan penyelesaian banding yang disetujui Kepala Balai dan dokumen pendukung "
            "lainnya"
        ),
        waktu=Duration(15, Unit.MINUTE),
        output="",  # the signed SOP leaves step 12's output empty
        outcomes=(
            Outcome(
                Result.CLOSED,
                "Selesai",
                END,
                closes_as="closed",
                milestone=Stage.SELESAI,
                told=N_("Keputusan banding telah disampaikan kepada Anda; berkas diarsipkan."),
            ),
        ),
        outputs=(Required(SURAT_PENYAMPAIAN),),
        fields=("tanggal disampaikan", "saluran", "lokasi arsip (lemari/boks/map)"),
    ),
)

# The identity sheet, word for word as signed (tests/sop/SOP-5.1.24.verbatim.md), each numbered
# section as a list of its items. Item 4 of the legal basis lost its beginning in the scan: it
# keeps the legible words after "…", and an administrator may complete it, with the sheet's
# blanks (dates, approver), through BANDING_SOP_IDENTITY (banding/sop/document.py).
IDENTITY: dict[str, str | list[str]] = {
    "unit": "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kimia, Farmasi dan Kemasan",
    "nomor": "5.1.24/BBSPJIKFK/2025",
    "judul": "Penanganan Banding Pelanggan",
    "dasar_hukum": [
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi RI No. 35 "
        "Tahun 2012 tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi "
        "Pemerintah",
        # "Opersional" is the signed text's own spelling.
        "Peraturan Menteri Perindustrian No. 42/M-IND/PER/8/2013 tentang Pedoman Penyusunan "
        "Standar Opersional Prosedur Administrasi Pemerintahan di lingkungan Kemenperin",
        "Peraturan Menteri Perindustrian No.7 Tahun 2021 tentang Organisasi dan Tata Kerja "
        "Kementerian Perindustrian",
        "… Kerja Unit Pelaksana Teknis di Lingkungan Badan Standardisasi dan Kebijakan Jasa "
        "Industri",
    ],
    "kualifikasi_pelaksana": [
        "Mampu memberikan pelayanan prima",
        "Mampu mengoperasikan komputer dan internet",
        "Mampu berkomunikasi dengan lancar",
        "Mengetahui sistem penyimpanan (arsip) data",
    ],
    "keterkaitan": ["SOP Pengolahan Surat Keluar", "SOP Pengolahan Surat Masuk"],
    "peralatan": ["Komputer", "ATK", "Koneksi Internet", "Fax", "Telepon", "Printer"],
    "peringatan": [
        "Apabila banding pelanggan tidak ditindaklanjuti dapat menurunkan tingkat kepercayaan "
        "pelanggan yang berdampak pada hilangnya pelanggan",
    ],
    "pencatatan": [
        "Data dan Laporan disimpan di Lemari Arsip Tim Pelayanan Jasa Teknis dan Kemitraan (PJTK)",
    ],
}
