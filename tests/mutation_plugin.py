"""A pytest plugin for `make mutate` only (loaded through [tool.mutmut] pytest_add_cli_args).

mutmut runs each mutant in a fresh pytest session; left alone, every session would run
every migration again into a new in-memory database (about 1.7 s, most of a mutant's
cost). Here the first session saves the migrated database to a file named for the
migrations it ran, and every later one copies that file into its in-memory database
instead of migrating. A mutant runs only the tests that mutmut found reaching its
function and that ``[tool.callin.mutation_tests]`` in pyproject.toml lists for its
module (none listed: no tests), fastest first, so a mutant that some quick test kills
stops early (mutmut passes -x).
"""

import hashlib
import json
import os
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

# Names mutmut gives its own sessions (stats, clean run, forced fail), not mutants.
NOT_A_MUTANT = {"", "stats", "list_all_tests", "mutant_generation", "fail"}
# "threads.importing.parsing.xǁReplySpecǁcheck__mutmut_3" -> "threads.importing.parsing"
MODULE = re.compile(r"^(.*?)\.x[_ǁ]")


def _template():
    """The saved database for these migrations: a new migration makes a new file."""
    digest = hashlib.sha256()
    for path in sorted(Path().glob("*/migrations/*.py")):
        digest.update(path.as_posix().encode() + path.read_bytes())
    return Path("var") / f"mutation-testdb-{digest.hexdigest()[:16]}.sqlite3"


def _create_test_db(original, template):
    def create_test_db(self, *args, **kwargs):
        if self.connection.vendor != "sqlite" or not self.is_in_memory_db(self._get_test_db_name()):
            return original(self, *args, **kwargs)
        from django.core import management

        call_command = management.call_command
        if not template.exists():
            name = original(self, *args, **kwargs)
            template.parent.mkdir(parents=True, exist_ok=True)
            partial = template.with_suffix(f".{os.getpid()}.partial")
            target = sqlite3.connect(partial)
            self.connection.ensure_connection()
            self.connection.connection.backup(target)
            target.close()
            partial.replace(template)  # whole or not at all, if two sessions race
            return name

        def migrate_from_template(command, *cargs, **ckwargs):
            if command != "migrate":
                return call_command(command, *cargs, **ckwargs)
            self.connection.ensure_connection()
            source = sqlite3.connect(template)
            source.backup(self.connection.connection)
            source.close()

        management.call_command = migrate_from_template
        try:
            return original(self, *args, **kwargs)
        finally:
            management.call_command = call_command

    return create_test_db


def pytest_configure(config):
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.create_test_db
    BaseDatabaseCreation.create_test_db = _create_test_db(original, _template())


def module_tests(mutant):
    """The test files (paths from the project's root) that judge ``mutant``'s module."""
    table = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["callin"]["mutation_tests"]
    module = MODULE.match(mutant)[1].replace(".", "/") + ".py"
    return {f"tests/{path}" for path in table.get(module, ())}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant in NOT_A_MUTANT:
        return
    allowed = module_tests(mutant)
    kept = [item for item in items if item.nodeid.split("::")[0] in allowed]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    try:
        durations = json.loads(Path("mutmut-stats.json").read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        durations = {}
    kept.sort(key=lambda item: durations.get(item.nodeid, float("inf")))
    items[:] = kept
