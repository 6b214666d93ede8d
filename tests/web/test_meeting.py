"""The forms of steps 3 and 9 on the appeal page: the similar earlier appeals to confirm,
the meeting's seats, and a member's own dissenting opinion."""

from banding.appeals import services
from banding.appeals.services import considered
from tests.factories import register, walk
from tests.state import capture
from tests.web.helpers import action_url, detail_url, valid_data


def test_the_verifier_confirms_the_similar_appeals_on_the_step_3_form(client, p):
    earlier = walk(p, register(p), 13)
    appeal = register(p)
    client.force_login(p.lead)
    form = client.get(detail_url(appeal)).context["shown"][0].form
    assert [v for v, _ in form.fields["similar_considered"].choices] == [str(earlier.public_id)]
    page = client.get(detail_url(appeal)).content.decode()
    assert "Banding serupa sebelumnya yang dipertimbangkan" in page
    data = {**valid_data(p, "verifikasi"), "similar_considered": [str(earlier.public_id)]}

    before = capture()
    response = client.post(action_url(appeal, "verifikasi"), data)
    assert response.status_code == 400
    assert response.context["shown"][0].form.errors["similar_confirmed"] == [considered.UNCONFIRMED]
    assert capture() == before

    response = client.post(action_url(appeal, "verifikasi"), {**data, "similar_confirmed": "on"})
    assert response.status_code == 302
    recorded = appeal.steps.get(completed_at__isnull=True).recorded_data["similar"]
    assert (recorded["considered"], recorded["confirmed"]) == ([str(earlier.public_id)], True)


def test_the_panel_confirms_the_similar_appeals_on_the_step_9_form(client, p):
    earlier = walk(p, register(p), 13)
    appeal = walk(p, register(p), 9)
    client.force_login(p.panel[0])
    data = {**valid_data(p, "putuskan"), "similar_considered": [str(earlier.public_id)]}
    assert client.post(action_url(appeal, "putuskan"), data).status_code == 400
    response = client.post(action_url(appeal, "putuskan"), {**data, "similar_confirmed": "on"})
    assert response.status_code == 302


def test_the_form_without_similar_appeals_asks_no_confirmation(client, p):
    appeal = register(p)
    client.force_login(p.lead)
    form = client.get(detail_url(appeal)).context["shown"][0].form
    assert "similar_confirmed" not in form.fields


def test_a_member_adds_a_dissent_once_the_meeting_is_recorded(client, p):
    appeal = walk(p, register(p), 9)
    services.panel_declare(appeal=appeal, user=p.panel[1])
    client.force_login(p.panel[1])
    page = client.get(detail_url(appeal))
    assert "pendapat-berbeda" not in [s.action.slug for s in page.context["shown"]]
    assert client.post(action_url(appeal, "putuskan"), valid_data(p, "putuskan")).status_code == 302

    page = client.get(detail_url(appeal))
    assert "pendapat-berbeda" in [s.action.slug for s in page.context["revise"]]
    response = client.post(action_url(appeal, "pendapat-berbeda"), {"opinion": "Tidak setuju."})
    assert response.status_code == 302
    data = appeal.steps.get(completed_at__isnull=True).recorded_data
    assert data["dissent"] == [
        {
            "member": str(p.panel[1].public_id),
            "name": p.panel[1].display_name,
            "opinion": "Tidak setuju.",
        }
    ]
    client.force_login(p.lead)
    before = capture()
    refused = client.post(action_url(appeal, "pendapat-berbeda"), {"opinion": "x"})
    assert refused.status_code == 403
    assert capture() == before
