"""API tokens: only a hash is stored, the user creates and revokes them, revocation is at once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from observatorio.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PROGRAMS = "/api/v1/programs/"


def test_only_the_hash_and_a_short_prefix_of_a_key_are_stored(cast):
    token, key = ApiToken.issue(cast("enlace_jalisco"), "  carga   nocturna ")
    assert key.startswith("obs_") and len(key) > 40
    assert token.name == "carga nocturna"
    assert token.prefix == key[:12]
    assert token.key_hash == ApiToken.digest(key) != key
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert key not in {str(v) for v in stored.values()}
    assert ApiToken.lookup(key) == token
    assert ApiToken.lookup(key + "x") is None
    assert ApiToken.lookup("otra cosa") is None


def test_a_revoked_token_stops_working_at_once(client_for, make_report):
    draft = make_report(state="14")
    api = client_for("enlace_jalisco")
    assert api.get(f"{PROGRAMS}{draft.pk}/").status_code == 200
    ApiToken.objects.get().revoke()
    response = api.get(f"{PROGRAMS}{draft.pk}/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token no válido o revocado."}
    assert api.get(PROGRAMS).status_code == 401  # even for public data: the key is wrong
    assert api.post(f"{PROGRAMS}{draft.pk}/submit/").status_code == 401


def test_a_deactivated_users_token_stops_working(client_for, cast):
    api = client_for("enlace_jalisco")
    user = cast("enlace_jalisco")
    user.is_active = False
    user.save()
    assert api.get(PROGRAMS).status_code == 401


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer abc", "Authorization: Token <token>"),
        ("Token", "escriba «Token», un espacio y el token"),
        ("Token a b", "escriba «Token», un espacio y el token"),
        ("Token obs_inventado", "Token no válido o revocado."),
    ],
)
def test_a_malformed_authorization_is_a_401_in_spanish(anon, header, message):
    response = anon.get(PROGRAMS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_records_when_it_was_last_used(client_for):
    api = client_for("reviewer")
    assert ApiToken.objects.get().last_used_at is None
    api.get(PROGRAMS)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_token_page_needs_a_log_in(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert "/cuentas/entrar/" in response["Location"]


def test_a_user_creates_a_token_and_sees_it_only_once(client, cast):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(reverse("accounts:api_tokens"), {"name": "Sistema estatal"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    page = response.content.decode()
    key = page.split('id="new-key" type="text" readonly value="')[1].split('"')[0]
    assert ApiToken.lookup(key) == token
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert key not in again
    assert token.prefix in again and "Sistema estatal" in again
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_token_needs_a_name_and_a_user_holds_a_limited_number(client, cast):
    user = cast("enlace_jalisco")
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "  "})
    assert "Este campo es obligatorio." in response.content.decode()
    for n in range(ApiToken.MAX_ACTIVE):
        ApiToken.issue(user, f"t{n}")
    response = client.post(reverse("accounts:api_tokens"), {"name": "uno más"})
    assert "revoque alguno" in response.content.decode()
    assert ApiToken.objects.count() == ApiToken.MAX_ACTIVE


def test_a_user_revokes_their_token_by_post_only(client, cast):
    user = cast("enlace_jalisco")
    token, key = ApiToken.issue(user, "viejo")
    client.force_login(user)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Se revocó el token «viejo»" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.lookup(key) is None
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_nobody_revokes_someone_elses_token(client, cast):
    token, key = ApiToken.issue(cast("enlace_jalisco"), "ajeno")
    client.force_login(cast("enlace_chiapas"))
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.lookup(key) == token
    assert "ajeno" not in client.get(reverse("accounts:api_tokens")).content.decode()


def test_the_token_forms_are_protected_against_cross_site_requests(cast):
    user = cast("enlace_jalisco")
    token, _key = ApiToken.issue(user, "csrf")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(reverse("accounts:api_tokens"), {"name": "x"}).status_code == 403
    assert browser.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.active().count() == 1


def test_an_administrator_issues_a_token_from_the_command_line(cast):
    user = cast("reporter_sre")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "REPORTER_SRE", "--name", "carga SRE", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.lookup(key)
    assert (token.user, token.name) == (user, "carga SRE")
    assert token.prefix in err.getvalue() and "solo esta vez" in err.getvalue()
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_the_command_refuses_unknown_or_inactive_users(cast):
    with pytest.raises(CommandError, match="No existe el usuario «nadie»"):
        call_command("create_api_token", "nadie", stdout=io.StringIO(), stderr=io.StringIO())
    user = cast("outsider")
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="desactivado"):
        call_command("create_api_token", "outsider", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_admin_lists_and_revokes_tokens_but_never_creates_them(admin_client, cast):
    token, key = ApiToken.issue(cast("enlace_jalisco"), "visto en el admin")
    changelist = reverse("admin:accounts_apitoken_changelist")
    page = admin_client.get(changelist).content.decode()
    assert token.prefix in page and token.key_hash not in page
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.lookup(key) is None
