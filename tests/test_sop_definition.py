"""banding.sop.definition: SOP 5.1.24 as data, checked against the SOP document."""

import json

import pytest

from banding.accounts.roles import ACTOR_ROLES, Role
from banding.appeals.models import Appeal, Status, Step
from banding.sop import definition as sop
from banding.sop.definition import END, Actor, Duration, Unit
from banding.sop.export import as_dict


def test_the_steps_are_1_to_7_and_9_to_12_in_order():
    assert sop.STEP_NUMBERS == (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12)
    assert [s.number for s in sop.STEPS] == list(sop.STEP_NUMBERS)
    assert sop.FIRST_STEP == 1


def test_there_is_no_step_8():
    assert 8 not in sop.STEP_BY_NUMBER
    with pytest.raises(KeyError) as info:
        sop.step(8)
    assert info.value.args == ("SOP 5.1.24 tidak memiliki langkah 8.",)


def test_each_step_has_the_actor_of_the_sop():
    actors = {s.number: s.actor for s in sop.STEPS}

    assert actors == {
        1: Actor.PEL,
        2: Actor.STF,
        3: Actor.KTP,
        4: Actor.STF,
        5: Actor.TEK,
        6: Actor.KAB,
        7: Actor.TPB,
        9: Actor.TPB,
        10: Actor.KAB,
        11: Actor.KTP,
        12: Actor.STF,
    }


def test_actor_labels_are_the_sop_swimlanes():
    assert sop.ACTOR_LABELS == {
        Actor.PEL: "Pelanggan",
        Actor.STF: "Staff PJTK",
        Actor.KTP: "Ketua Tim PJTK",
        Actor.TEK: "Bagian/Tim Teknis",
        Actor.KAB: "Kepala Balai",
        Actor.TPB: "Tim Panel Banding",
    }
    assert sop.step(6).actor_label == "Kepala Balai"


def test_institute_roles_play_the_swimlanes_and_the_panel_and_customer_are_per_appeal():
    assert ACTOR_ROLES == {
        Actor.STF: Role.PJTK_STAFF,
        Actor.KTP: Role.PJTK_LEAD,
        Actor.TEK: Role.TECHNICAL,
        Actor.KAB: Role.HEAD,
    }


def test_the_standard_times_are_those_of_the_sop():
    times = {s.number: str(s.waktu) for s in sop.STEPS}

    assert times == {
        1: "15 menit",
        2: "15 menit",
        3: "1 hari",
        4: "1 hari",
        5: "1 hari",
        6: "1 hari",
        7: "maks. 30 hari",
        9: "1 hari",
        10: "1 hari",
        11: "15 menit",
        12: "15 menit",
    }
    assert sop.step(7).waktu == Duration(30, Unit.DAY, maximum=True)


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("15 menit", Duration(15, Unit.MINUTE)),
        ("1 hari", Duration(1, Unit.DAY)),
        ("maks. 30 hari", Duration(30, Unit.DAY, maximum=True)),
        ("Maks. 30 Hari", Duration(30, Unit.DAY, maximum=True)),
        ("maksimal 30 hari", Duration(30, Unit.DAY, maximum=True)),
        ("maks 2 hari", Duration(2, Unit.DAY, maximum=True)),
        ("  15   menit ", Duration(15, Unit.MINUTE)),
    ],
)
def test_durations_parse(text, duration):
    assert Duration.parse(text) == duration


@pytest.mark.parametrize("step_number", sop.STEP_NUMBERS)
def test_durations_print_as_they_parse(step_number):
    waktu = sop.step(step_number).waktu

    assert Duration.parse(str(waktu)) == waktu
    assert Duration.parse(waktu.text) == waktu


def test_durations_in_the_signed_spelling_and_in_running_text():
    assert [
        (d.text, str(d)) for d in (sop.step(1).waktu, sop.step(3).waktu, sop.step(7).waktu)
    ] == [
        ("15 Menit", "15 menit"),
        ("1 Hari", "1 hari"),
        ("Maks. 30 Hari", "maks. 30 hari"),
    ]


def test_durations_as_data():
    assert sop.step(7).waktu.as_dict() == {"amount": 30, "unit": "hari", "maximum": True}
    assert sop.step(1).waktu.as_dict() == {"amount": 15, "unit": "menit", "maximum": False}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "menit",
        "15",
        "lima belas menit",
        "1.5 hari",
        "-1 hari",
        "15 menit lagi",
        "maks.",
        "maks. hari",
        "² hari",
        "١٥ menit",
    ],
)
def test_duration_parse_refuses_text_it_does_not_understand(text):
    with pytest.raises(ValueError) as info:
        Duration.parse(text)

    assert str(info.value) == f"Durasi tidak dikenali: {text!r} (contoh: '15 menit', '1 hari')."


@pytest.mark.parametrize("text", ["15 jam", "2 minggu", "maks. 3 bulan"])
def test_duration_parse_refuses_other_units(text):
    with pytest.raises(ValueError) as info:
        Duration.parse(text)

    assert str(info.value) == f"Satuan durasi harus 'menit' atau 'hari': {text!r}."


def test_only_steps_3_and_10_are_decisions():
    assert [s.number for s in sop.STEPS if s.is_decision] == [3, 10]
    assert sop.step(3).decision == "Banding relevan?"
    assert sop.step(10).decision == "Keputusan disetujui?"


def test_step_3_leads_to_the_technical_team_or_to_the_rejection():
    outcomes = {(o.key, o.label, o.next_step) for o in sop.step(3).outcomes}

    assert outcomes == {("relevant", "Relevan", 5), ("not_relevant", "Tidak relevan", 4)}


def test_step_10_leads_to_the_disposition_or_back_to_the_panel():
    outcomes = {(o.key, o.label, o.next_step) for o in sop.step(10).outcomes}

    assert outcomes == {("approved", "Disetujui", 11), ("returned", "Dikembalikan ke panel", 9)}


def test_every_other_step_has_one_way_forward():
    following = {s.number: s.outcomes[0].next_step for s in sop.STEPS if not s.is_decision}

    assert following == {1: 2, 2: 3, 4: END, 5: 6, 6: 7, 7: 9, 9: 10, 11: 12, 12: END}
    assert all(len(s.outcomes) == 1 for s in sop.STEPS if not s.is_decision)


def test_the_two_ends_close_the_appeal_as_rejected_or_closed():
    ends = {s.number: o.closes_as for s in sop.STEPS for o in s.outcomes if o.next_step == END}

    assert ends == {4: Status.REJECTED, 12: Status.CLOSED}
    assert not any(o.closes_as for s in sop.STEPS for o in s.outcomes if o.next_step != END)


def test_every_outcome_leads_to_a_step_of_the_sop():
    targets = {o.next_step for s in sop.STEPS for o in s.outcomes} - {END}

    assert targets <= set(sop.STEP_NUMBERS)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(KeyError) as info:
        sop.step(3).outcome("mungkin")

    assert info.value.args == ("Langkah 3 tidak punya hasil 'mungkin'.",)


@pytest.mark.parametrize(
    ("start", "chosen", "path"),
    [
        (1, None, [1, 2, 3, 5, 6, 7, 9, 10, 11, 12]),
        (1, {3: "not_relevant"}, [1, 2, 3, 4]),
        (3, {3: "relevant"}, [3, 5, 6, 7, 9, 10, 11, 12]),
        (9, None, [9, 10, 11, 12]),
        (12, None, [12]),
        (4, None, [4]),
        # A return loops back to 9; the path stops where it would repeat itself.
        (10, {10: "returned"}, [10, 9]),
    ],
)
def test_path_from_follows_the_chosen_outcomes(start, chosen, path):
    assert sop.path_from(start, chosen) == path


def test_every_step_states_what_it_needs_and_yields():
    for s in sop.STEPS:
        assert s.title and s.activity and s.kelengkapan, s.number
    # The signed SOP leaves step 12's output empty; SiBanding's required output is apart.
    assert [s.number for s in sop.STEPS if not s.output] == [12]
    assert [r.output.label for r in sop.step(12).outputs] == ["Surat penyampaian keputusan banding"]


def test_step_3_has_the_completeness_checklist():
    assert sop.step(3).checklist == (
        "Surat permohonan banding",
        "Identitas pelanggan dan narahubung",
        "Nomor dan hasil penanganan keluhan yang dibanding",
        "Alasan banding",
        "Penyelesaian yang diminta",
        "Dokumen pendukung",
    )


def test_the_calibration_proficiency_testing_exception():
    assert "Uji Profisiensi Kalibrasi" in sop.CALIBRATION_PT_EXCEPTION
    assert "ISO/IEC 17043:2023" in sop.CALIBRATION_PT_EXCEPTION
    assert "Uji Profisiensi Kalibrasi" in sop.step(1).keterangan


def test_step_choices_label_each_step_and_feed_the_models():
    choices = sop.step_choices()

    assert choices[0] == (1, "1. Pengajuan banding")
    assert choices[-1] == (12, "12. Penyampaian keputusan dan pengarsipan")
    assert [n for n, _ in choices] == list(sop.STEP_NUMBERS)
    assert Appeal._meta.get_field("current_step").choices == choices
    assert Step._meta.get_field("number").choices == choices


def test_the_whole_definition_is_plain_json():
    data = json.loads(json.dumps(as_dict()))

    assert data["identity"]["nomor"] == "5.1.24/BBSPJIKFK/2025"
    assert data["exception"] == sop.CALIBRATION_PT_EXCEPTION
    assert [s["number"] for s in data["steps"]] == list(sop.STEP_NUMBERS)
    step_7 = data["steps"][6]
    assert (step_7["actor"], step_7["waktu"]) == ("TPB", "Maks. 30 Hari")
    assert step_7["waktu_parsed"] == {"amount": 30, "unit": "hari", "maximum": True}
    step_4 = data["steps"][3]
    assert step_4["outcomes"] == [
        {
            "key": "rejected",
            "label": "Ditolak (tidak relevan)",
            "next_step": None,
            "closes_as": "rejected",
            "in_signed_sop": True,
            "milestone": "ditolak",
            "told_customer": (
                "Permohonan banding Anda tidak dapat diproses; surat penolakan beserta "
                "alasannya telah disampaikan kepada Anda."
            ),
        }
    ]
    assert step_4["required_outputs"] == [
        {"key": "penolakan", "label": "Surat penolakan banding", "letter": True, "when": []}
    ]
    step_10 = data["steps"][8]
    assert [(o["key"], o["in_signed_sop"]) for o in step_10["outcomes"]] == [
        ("approved", True),
        ("returned", False),
    ]


def test_a_zero_duration_is_refused():
    with pytest.raises(ValueError, match="lebih dari nol"):
        Duration.parse("0 hari")


def test_the_json_carries_the_signed_words():
    data = json.loads(json.dumps(as_dict()))
    steps = {s["number"]: s for s in data["steps"]}

    assert steps[1]["kelengkapan"] == "Surat permohonan banding dan dokumen kelengkapan banding"
    assert [steps[n]["waktu"] for n in (1, 3, 7)] == ["15 Menit", "1 Hari", "Maks. 30 Hari"]
    assert (steps[12]["output"], steps[12]["keterangan"]) == ("", "")
    assert [n for n, s in steps.items() if s["keterangan"] == "-"] == [2, 5, 9]
    assert data["identity"]["kualifikasi_pelaksana"] == [
        "Mampu memberikan pelayanan prima",
        "Mampu mengoperasikan komputer dan internet",
        "Mampu berkomunikasi dengan lancar",
        "Mengetahui sistem penyimpanan (arsip) data",
    ]
    assert data["identity"]["peringatan"] == [
        "Apabila banding pelanggan tidak ditindaklanjuti dapat menurunkan tingkat kepercayaan "
        "pelanggan yang berdampak pada hilangnya pelanggan"
    ]
    assert all(isinstance(data["identity"][key], list) for key in (
        "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan",
        "pencatatan",
    ))  # fmt: skip


def test_the_json_keeps_sibandings_provisions_under_their_own_key(settings):
    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True

    data = json.loads(json.dumps(as_dict()))

    added = data["ketentuan_sibanding"]
    assert added["title"] == "Ketentuan pelaksanaan di SiBanding"
    ten = next(s for s in added["steps"] if s["number"] == 10)
    assert ten["outcomes"] == [
        'Hasil "Dikembalikan ke panel": kembali ke langkah 9 (Rapat panel dan keputusan).'
    ]
    assert ten["gates"] == [
        "Langkah 10 selesai setelah Keputusan penyelesaian banding terbit (bila Disetujui)."
    ]
    assert ten["rules"] == list(sop.step(10).rules)
    assert added["working_time"][-1] == '"Maks. 30 Hari" (langkah 7) dihitung dalam hari kalender.'
    assert added["customer"][0].startswith("Pelanggan mengikuti bandingnya di portal pelanggan")
    # None of it is in a step's signed fields.
    signed = " ".join(
        s[f] for s in data["steps"] for f in ("activity", "kelengkapan", "output", "keterangan")
    )
    assert "Dikembalikan" not in signed and "selesai setelah" not in signed
