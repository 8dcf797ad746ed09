"""`make mutate`'s configuration holds together: every core module mutmut mutates has the
tests that judge it listed, and each of those exists and is in mutmut's selection (a
missing one would silently count the module's mutants as having no tests)."""

import fnmatch
import tomllib
from pathlib import Path

from tests.mutation_plugin import module_tests

ROOT = Path(__file__).resolve().parents[2]
TOOL = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
TABLE = TOOL["callin"]["mutation_tests"]


def core_modules():
    return sorted(
        str(path.relative_to(ROOT))
        for pattern in TOOL["mutmut"]["only_mutate"]
        for path in ROOT.glob(pattern)
        if path.suffix == ".py" and path.name != "__init__.py"
    )


def test_every_core_module_lists_the_tests_that_judge_it():
    assert core_modules(), "only_mutate matches no module"
    assert sorted(TABLE) == core_modules()


def test_every_listed_test_file_exists_and_is_in_mutmuts_selection():
    selection = TOOL["mutmut"]["pytest_add_cli_args_test_selection"]
    for module, paths in TABLE.items():
        assert paths, module
        for path in paths:
            test_file = f"tests/{path}"
            assert (ROOT / test_file).is_file(), f"{module}: {test_file} does not exist"
            assert any(
                test_file == chosen or test_file.startswith(chosen.rstrip("/") + "/")
                for chosen in selection
            ), f"{module}: {test_file} is outside [tool.mutmut] test selection"


def test_a_mutant_is_judged_by_its_own_modules_tests(monkeypatch):
    monkeypatch.chdir(ROOT)

    tests = module_tests("threads.importing.parsing.xǁReplySpecǁcheck__mutmut_3")

    assert "tests/threads/test_importing_parsing.py" in tests
    assert module_tests("moderation.audit.x_record__mutmut_1") == {
        f"tests/{path}" for path in TABLE["moderation/audit.py"]
    }
    assert not fnmatch.filter(tests, "tests/moderation/*")
