"""The whole SOP definition as plain data (`banding sop --format json`, the API): the signed
SOP's words as signed, and SiBanding's own provisions apart, under "ketentuan_sibanding"."""

from __future__ import annotations

from banding.sop import additions
from banding.sop import definition as sop


def as_dict() -> dict:
    """The whole definition as plain data (`banding sop --format json`): the signed SOP's
    words as signed, and SiBanding's own provisions apart, under "ketentuan_sibanding"."""
    return {
        "identity": sop.IDENTITY,
        "actors": {a.value: label for a, label in sop.ACTOR_LABELS.items()},
        "exception": sop.CALIBRATION_PT_EXCEPTION,
        "steps": [
            {
                "number": s.number,
                "actor": s.actor.value,
                "actor_label": s.actor_label,
                "title": s.title,
                "activity": s.activity,
                "kelengkapan": s.kelengkapan,
                "waktu": s.waktu.text,
                "waktu_parsed": s.waktu.as_dict(),
                "output": s.output,
                "keterangan": s.keterangan,
                "decision": s.decision,
                "outcomes": [
                    {
                        "key": o.key,
                        "label": o.label,
                        "next_step": o.next_step or None,
                        "closes_as": o.closes_as or None,
                        "in_signed_sop": o.signed,
                        "milestone": o.milestone.value if o.milestone else None,
                        "told_customer": o.told,
                    }
                    for o in s.outcomes
                ],
                "fields": list(s.fields),
                "checklist": list(s.checklist),
                "required_outputs": [
                    {
                        "key": r.output.key,
                        "label": r.output.label,
                        "letter": r.output.letter,
                        "when": [str(k) for k in r.when],
                    }
                    for r in s.outputs
                ],
                "record_first": s.record_first,
                "rules": list(s.rules),
            }
            for s in sop.STEPS
        ],
        "ketentuan_sibanding": additions.build().as_dict(),
    }
