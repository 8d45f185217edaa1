"""The seams of the code, checked by reading it: reads live on QuerySets, the apps depend on
each other in one direction only, and stored rich text reaches templates through one filter."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "campaign",
    "schools",
    "companies",
    "events",
]  # lowest first: each may import those before it
APP_CODE = ["config", *APPS, "demo"]


def python_files(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def offending_lines(paths, pattern: re.Pattern) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_app_code_reaches_models_through_meta_or_the_app_registry():
    """Another app's rows come through reverse managers, not through model internals.

    Reading a field's definition (``_meta.get_field("slug").max_length``, the fields an
    admin page shows) is introspection, not a read of rows, and stays allowed. So is a
    line marked ``# field registry``: the photo register reaches the rows of every image
    field that registered itself (campaign.images.PrivateImageField), whatever its app.
    """
    pattern = re.compile(
        r"\._meta\b(?!\.get_fields?\()|_default_manager|\.related_model\b|get_model\("
        r"|remote_field\.model"
    )
    found = offending_lines(python_files(*APP_CODE), pattern)
    assert [line for line in found if not line.endswith("# field registry")] == []


@pytest.mark.parametrize("app", APPS)
def test_apps_import_only_the_apps_below_them(app):
    higher = APPS[APPS.index(app) + 1 :] + ["config"]
    pattern = re.compile(rf"^\s*(from|import)\s+({'|'.join(higher)})\b")
    assert offending_lines(python_files(app), pattern) == []


def test_no_module_imports_reads_from_another_apps_views():
    """Reads are QuerySet methods; a view module is imported elsewhere only for a view mixin."""
    found = []
    for package in APP_CODE:
        pattern = re.compile(rf"^\s*from\s+(?!{package}\b)(\w+)\.views\s+import\s+(.+)$")
        for line in offending_lines(python_files(package), pattern):
            names = {name.strip(" ()") for name in line.split(" import ", 1)[1].split(",")}
            if names - {"StorylineFilterMixin"}:
                found.append(line)
    assert found == []


def test_no_template_marks_text_safe_by_hand():
    """Stored rich text goes through ``|rich_text`` (sanitised again); nothing through ``|safe``."""
    pattern = re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off\s*%}")
    templates = [
        path
        for path in sorted((ROOT / "templates").rglob("*.html"))
        # Plain-text mails are not HTML: escaping there would show &amp; to parents.
        if "emails" not in path.parts
    ]
    assert offending_lines(templates, pattern) == []


def public_templates():
    # The admin's own breadcrumbs and forms follow Django's admin markup, not ours; so do
    # the history pages of django-reversion (templates/reversion/).
    admin_folders = {"admin", "reversion"}
    return [
        path
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if not admin_folders & set(path.parts)
    ]


@pytest.mark.parametrize(
    ("markup", "home"),
    [
        (r'class="breadcrumbs"', "templates/includes/breadcrumbs.html"),
        (r'class="hp-field"', "templates/includes/honeypot.html"),
        # Every grid of cards (sections, lists, detail pages) is one include.
        (r'include "[^"]*_card\.html"|{% card ', "templates/includes/cards.html"),
    ],
)
def test_shared_markup_is_written_in_one_include(markup, home):
    """Breadcrumbs, the honeypot and the grid of cards: one include each, not copies."""
    pattern = re.compile(markup)
    found = offending_lines(public_templates(), pattern)
    assert found and all(line.startswith(f"{home}:") for line in found), found


@pytest.mark.parametrize(
    ("pattern", "home"),
    [
        # The school's postal address: one property, used by pages, feeds and JSON-LD.
        (r"\.postal_code\b", "schools/models.py"),
        # The coordinators' contact address for visitors: one function.
        (r"COORDINATOR_EMAILS\[", "campaign/context_processors.py"),
        # The honeypot field: one form class.
        (r"website = forms\.CharField", "campaign/forms.py"),
    ],
)
def test_small_helpers_exist_once(pattern, home):
    found = offending_lines(python_files(*APP_CODE), re.compile(pattern))
    assert all(home and line.startswith(f"{home}:") for line in found), found


def test_admin_image_columns_come_from_one_helper():
    """A thumbnail or preview of an image field is ``thumbnail_column``/``preview_field``,
    not a method per admin that only calls ``thumbnail`` (the photo register's own rows,
    which may be withdrawn, have methods that do more)."""
    pattern = re.compile(r"def \w+\(self, obj\):\n\s+return thumbnail\(")
    found = [
        str(path.relative_to(ROOT))
        for path in python_files(*APP_CODE)
        if path.name == "admin.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
