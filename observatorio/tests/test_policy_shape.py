"""One policy shape: every app's ``permissions.py`` answers ``can(user, action, obj)`` with a
``Decision`` and ``visible(user, queryset)``, and no other module tests a role.

The source is read with ``ast``: a role test is a use of ``Role`` or ``Scope`` (the roles a
user holds today), an import of either or of ``REVIEW_ROLES``, or a query by role
(``role=``, ``role__in=``, ``memberships__role=`` …). Outside ``permissions.py`` files they
are allowed only where roles are defined or memberships are made, listed in
:data:`ALLOWED` with the reason.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from observatorio.lib.policy import Decision

PACKAGE = Path(__file__).resolve().parents[1]

#: Modules (relative to the package) that may name roles outside a permissions.py.
ALLOWED = {
    # Where Role and Scope are defined, with the database constraints and the
    # validation of a membership by role.
    "accounts/models.py",
    # The named cast of test users: it creates one membership per role.
    "accounts/testing.py",
    # The administrators' command that creates a user with a given role; it validates
    # the role's scope (a state for an enlace, an institution for a reporter).
    "accounts/management/commands/create_user.py",
}

#: Apps whose pages or API make decisions about who may do what: each has a policy. The
#: others (portal, api, published, charts, importers …) show published data or ask these
#: policies (the API asks ``programs.permissions`` for every report it reads or writes).
APPS_WITH_A_POLICY = {
    "accounts",
    "coordination",
    "indicators",
    "notifications",
    "practices",
    "programs",
    "publications",
}

ROLE_NAMES = {"Role", "Scope", "REVIEW_ROLES"}


def _is_role_keyword(name: str | None) -> bool:
    if not name:
        return False
    parts = name.split("__")
    return "role" in parts


def role_tests(source: str) -> list[tuple[int, str]]:
    """Every role test in *source*: (line, what), as the module docstring defines it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in ROLE_NAMES:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in ROLE_NAMES:
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.keyword) and _is_role_keyword(node.arg):
            found.append((node.value.lineno, f"{node.arg}="))
    return found


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        parts = relative.split("/")
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        yield relative, path


def test_the_detector_finds_each_kind_of_role_test():
    source = (
        "from observatorio.accounts.models import Role\n"
        "x = Scope.of(user).has(Role.REVIEWER)\n"
        "Membership.objects.filter(role='reviewer')\n"
        "User.objects.filter(memberships__role__in=['enlace'])\n"
        "from observatorio.accounts.permissions import REVIEW_ROLES\n"
    )
    kinds = {what for _line, what in role_tests(source)}
    assert kinds == {
        "import Role",
        "Role",
        "Scope",
        "role=",
        "memberships__role__in=",
        "import REVIEW_ROLES",
    }
    assert role_tests("program.role_name = 'x'\nfilter(roles=1)\n") == []


def test_no_module_outside_a_permissions_file_tests_a_role():
    offenders = []
    for relative, path in _sources():
        if relative.endswith("/permissions.py") or relative in ALLOWED:
            continue
        for line, what in role_tests(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{line}: {what}")
    assert offenders == [], "Ask the app's permissions.py instead:\n" + "\n".join(offenders)


def test_every_allowed_exception_still_exists_and_names_a_role():
    # An exception that no longer needs to be one must leave the list.
    for relative in ALLOWED:
        path = PACKAGE / relative
        assert path.exists(), relative
        assert role_tests(path.read_text(encoding="utf-8")), relative


def test_review_roles_are_declared_once():
    declared = []
    for relative, path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == "REVIEW_ROLES":
                    declared.append(relative)
    assert declared == ["accounts/permissions.py"]


def _policies():
    return sorted(p.parent.name for p in PACKAGE.glob("*/permissions.py"))


def test_every_app_that_decides_has_a_policy():
    assert APPS_WITH_A_POLICY <= set(_policies())


@pytest.mark.parametrize("app", _policies())
def test_every_policy_has_the_one_shape(app):
    module = importlib.import_module(f"observatorio.{app}.permissions")
    can, visible = getattr(module, "can", None), getattr(module, "visible", None)
    assert callable(can) and callable(visible), app

    params = list(inspect.signature(can).parameters.values())
    positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert [p.name for p in positional] == ["user", "action", "obj"], app
    assert positional[2].default is None, f"{app}: obj is optional (actions on no object)"
    assert all(p.kind is p.KEYWORD_ONLY for p in params[3:]), app
    assert inspect.signature(can).return_annotation in (Decision, "Decision"), app

    params = list(inspect.signature(visible).parameters.values())
    assert [p.name for p in params] == ["user", "queryset"], app
    assert params[1].default is None, app


@pytest.mark.parametrize("app", _policies())
def test_every_policy_refuses_an_action_it_has_no_rule_for(app):
    module = importlib.import_module(f"observatorio.{app}.permissions")
    with pytest.raises(KeyError):
        module.can(AnonymousUser(), "no-such-action", None)


@pytest.mark.parametrize("app", _policies())
def test_every_policy_narrows_a_list_for_anonymous_visitors(app):
    module = importlib.import_module(f"observatorio.{app}.permissions")
    assert isinstance(module.visible(AnonymousUser(), None), QuerySet), app
