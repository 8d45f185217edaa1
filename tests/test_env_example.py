import re
from pathlib import Path

from django.conf import settings

ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")


def test_env_example_documents_every_variable_when_settings_read_it():
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text()
    read = set(ENV_READ.findall(source))
    example = (Path(settings.BASE_DIR) / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL"} <= read
    assert read - documented == set()
