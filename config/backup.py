"""Backup and restore of the whole installation: every row of the database and every file.

A backup is a folder (or a prefix in a bucket) with:

- ``database.jsonl.gz``: every row of every app, as Django's JSON Lines serialisation
  (``dumpdata --all``), read in one transaction: REPEATABLE READ on PostgreSQL, so the
  rows belong to one moment while the site keeps running; on SQLite the transaction
  holds the write lock while it reads. The format is the same on SQLite and PostgreSQL,
  so a backup moves between them. Times keep their microseconds (DjangoJSONEncoder
  would cut them to milliseconds).
- ``media/…``: every file of the media storage (local folder or bucket), renditions too.
- ``manifest.json``, written last: the app version, the migrations the rows belong to,
  rows per model, and size and SHA-256 of every file. A folder without it is no backup.

A restore needs an empty installation (no rows but those ``migrate`` makes, no media),
unless forced. It brings the schema to the backup's migrations, replaces every row with
the backup's (primary keys kept, sequences reset), migrates on to the code's migrations,
and copies the files back, checking every checksum.
"""

import datetime as dt
import gzip
import hashlib
import json
import posixpath
import shutil
import subprocess  # noqa: S404 - only `git rev-parse`, for the manifest
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from config.storage import storage_at

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILE = "database.jsonl.gz"
MEDIA_FOLDER = "media"
SERIALIZATION_FORMAT = "backup-jsonl"
CHUNK = 1024 * 1024
# Rows that `migrate` itself writes into a new database: these tables may have rows in
# an "empty" installation.
MIGRATE_FILLS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


class BackupError(Exception):
    pass


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (a restore must be identical)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    """JSON Lines as ``dumpdata --format jsonl``, with exact times (registered in dump_database)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _ExactEncoder


Deserializer = jsonl.Deserializer


@dataclass
class Report:
    rows: int = 0
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source, source_name: str, target, target_name: str) -> tuple[int, str]:
    """Copy one file between storages; returns its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with source.open(source_name, "rb") as handle, tempfile.TemporaryFile() as buffer:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            buffer.write(chunk)
        buffer.seek(0)
        saved = target.save(target_name, File(buffer, name=posixpath.basename(target_name)))
    if saved != target_name:
        raise BackupError(f"{target_name} was stored as {saved}; is the target empty?")
    return size, digest.hexdigest()


def _walk(storage, folder: str = ""):
    """Every file name in a storage, depth first, sorted (works for folders and buckets)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for directory in sorted(directories):
        yield from _walk(storage, posixpath.join(folder, directory) if folder else directory)


def _app_version() -> dict:
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["project"]
    version = {"name": project["name"], "version": project["version"], "commit": None}
    git = shutil.which("git")
    if git:
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments
                [git, "rev-parse", "HEAD"],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
            version["commit"] = result.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return version


def dump_database(path: Path) -> dict:
    """Every row into ``path`` (gzip JSON Lines) in one snapshot; returns the migration state."""
    from django.core import serializers

    serializers.register_serializer(SERIALIZATION_FORMAT, __name__)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # The first statement of the transaction: every read below sees one moment.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        applied = sorted(MigrationRecorder(connection).applied_migrations())
        call_command(
            "dumpdata", all=True, format=SERIALIZATION_FORMAT, output=str(path), verbosity=0
        )
    migrations: dict[str, list[str]] = {}
    for app_label, name in applied:
        migrations.setdefault(app_label, []).append(name)
    return migrations


def count_rows(path: Path) -> dict[str, int]:
    """Rows per model in a database file, read from the file itself."""
    counts = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                counts[json.loads(line)["model"]] += 1
    return dict(sorted(counts.items()))


def _is_empty(storage) -> bool:
    try:
        directories, files = storage.listdir("")
    except FileNotFoundError:
        return True
    return not directories and not files


def backup(location: str, *, progress=None) -> Report:
    """Write a backup of the database and the media to a folder or ``s3://bucket/prefix``."""
    progress = progress or (lambda message: None)
    target = storage_at(location)
    if not _is_empty(target):
        raise BackupError(f"{location} is not empty: a backup goes into a new folder.")
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DATABASE_FILE
        progress("Reading the database (one transaction)")
        migrations = dump_database(path)
        rows = count_rows(path)
        report.rows = sum(rows.values())
        with path.open("rb") as handle:
            target.save(DATABASE_FILE, File(handle, name=DATABASE_FILE))
        database = {
            "file": DATABASE_FILE,
            "vendor": connection.vendor,
            "bytes": path.stat().st_size,
            "sha256": _sha256_file(path),
            "rows": rows,
        }
    progress(f"  {report.rows} rows of {len(rows)} models")
    files = []
    for name in _walk(default_storage):
        size, sha256 = _copy(default_storage, name, target, f"{MEDIA_FOLDER}/{name}")
        files.append({"name": name, "bytes": size, "sha256": sha256})
        report.files += 1
        report.bytes += size
        if report.files % 100 == 0:
            progress(f"  {report.files} files copied")
    progress(f"Media: {report.files} files, {report.bytes} bytes")
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "app": _app_version(),
        "django": django.get_version(),
        "migrations": migrations,
        "database": database,
        "media": {
            "storage": default_storage.__class__.__name__,
            "count": report.files,
            "bytes": report.bytes,
            "files": files,
        },
    }
    payload = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    with tempfile.TemporaryFile() as buffer:
        buffer.write(payload)
        buffer.seek(0)
        target.save(MANIFEST, File(buffer, name=MANIFEST))
    return report


def read_manifest(source) -> dict:
    if not source.exists(MANIFEST):
        raise BackupError("No manifest.json here: not a (complete) backup.")
    with source.open(MANIFEST, "rb") as handle:
        manifest = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def database_is_empty() -> bool:
    """No rows in any table, apart from the ones `migrate` fills itself."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in MIGRATE_FILLS:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def _migration_targets(executor, migrations: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The last applied migration of each app in the backup (the schema its rows fit)."""
    graph = executor.loader.graph
    unknown = [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in graph.nodes
    ]
    if unknown:
        raise BackupError(
            "The backup was made with migrations this code does not have "
            f"({', '.join(unknown[:5])}): restore it with the version that made it."
        )
    targets = []
    for app, names in migrations.items():
        applied = {(app, name) for name in names}
        leaves = [
            key
            for key in applied
            if not {child.key for child in graph.node_map[key].children} & applied
        ]
        targets.extend(sorted(leaves))
    # Apps the backup did not have yet stay unmigrated until the final migrate.
    for app in executor.loader.migrated_apps - set(migrations):
        targets.append((app, None))
    return targets


def restore(location: str, *, force: bool = False, progress=None) -> Report:
    """Rebuild an empty installation from a backup: schema, rows, files; then migrate on."""
    progress = progress or (lambda message: None)
    source = storage_at(location)
    manifest = read_manifest(source)
    if not force:
        if not database_is_empty():
            raise BackupError(
                "The database is not empty. Restore into a new database, or use --force "
                "to replace everything in it."
            )
        if not _is_empty(default_storage):
            raise BackupError(
                "The media storage is not empty. Restore into an empty one, or use --force."
            )
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DATABASE_FILE
        database = manifest["database"]
        with source.open(database["file"], "rb") as handle, path.open("wb") as out:
            shutil.copyfileobj(handle, out, CHUNK)
        if _sha256_file(path) != database["sha256"]:
            raise BackupError(f"{database['file']} does not match its checksum: damaged.")

        executor = MigrationExecutor(connection)
        targets = _migration_targets(executor, manifest["migrations"])
        progress("Migrating to the backup's schema")
        executor.migrate(targets)

        progress("Loading the rows")
        with transaction.atomic():
            # Out with what migrate wrote (content types, permissions, groups): the
            # backup has them all, with their own primary keys.
            connection.ops.execute_sql_flush(
                sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
            )
            call_command("loaddata", str(path), verbosity=0)
        report.rows = sum(database["rows"].values())
    progress(f"  {report.rows} rows")

    progress("Migrating to this version")
    call_command("migrate", interactive=False, verbosity=0)

    for entry in manifest["media"]["files"]:
        name = entry["name"]
        if default_storage.exists(name):
            default_storage.delete(name)
        size, sha256 = _copy(source, f"{MEDIA_FOLDER}/{name}", default_storage, name)
        if sha256 != entry["sha256"]:
            default_storage.delete(name)
            raise BackupError(f"{MEDIA_FOLDER}/{name} does not match its checksum: damaged.")
        report.files += 1
        report.bytes += size
        if report.files % 100 == 0:
            progress(f"  {report.files} files restored")
    progress(f"Media: {report.files} files, {report.bytes} bytes")
    # Nothing cached may outlive the rows it was made of (pages, image sizes, renditions).
    cache.clear()
    return report
