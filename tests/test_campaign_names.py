"""A campaign is data: no template or app module names one. The demo content (a TOML data
file) and the tests may; the name on the site comes from the admin."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ["campaign", "schools", "companies", "events", "config"]
# The demo campaign's name, in any case and with any spacing.
DEMO_CAMPAIGN = re.compile(r"techniek\s+doet\s+het", re.IGNORECASE)


def files_to_check() -> list[Path]:
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file()]
    modules = [p for package in APP_PACKAGES for p in (ROOT / package).rglob("*.py")]
    return sorted(templates + modules)


def naming_lines(paths, root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DEMO_CAMPAIGN.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_template_or_app_module_names_the_demo_campaign():
    assert naming_lines(files_to_check()) == []


def test_the_check_finds_the_name_when_a_file_holds_it(tmp_path):
    written = tmp_path / "base.html"
    written.write_text("<title>{{ site_name }}</title>\n<p>Groeten van Techniek  Doet het</p>\n")

    assert naming_lines([written], root=tmp_path) == [
        "base.html:2: <p>Groeten van Techniek  Doet het</p>"
    ]


def test_the_check_reads_every_template_and_app_module():
    paths = {path.relative_to(ROOT).as_posix() for path in files_to_check()}
    assert "templates/base.html" in paths
    assert "config/urls.py" in paths
    assert "campaign/migrations/0001_initial.py" in paths
