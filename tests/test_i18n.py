"""The messages in Polish: the catalog covers every message of the code, its .mo is compiled
from its .po, and the command line speaks Polish with --lang pl or a Polish locale."""

from __future__ import annotations

import ast
import gettext
import json
from pathlib import Path

import pytest

from tf1_mnist.i18n import LOCALE_DIR

from conftest import REPO_ROOT, assert_one_clear_error, run_cli

PO = LOCALE_DIR / "pl" / "LC_MESSAGES" / "tf1_mnist.po"
MO = PO.with_suffix(".mo")
NO_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}  # empty: gettext reads LANG
MARKERS = {"_": 1, "N_": 1, "ngettext": 1}  # the function; its first argument is the msgid


def messages_in_references() -> set[str]:
    """The texts of the lessons' references that `compare` shows through _(): each title, note
    and hint (but the optimizer's, which is code), and the meaning of each measured learning
    rate."""
    found = set()
    for path in (REPO_ROOT / "tf1_mnist" / "references").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        hints = {key: hint for key, hint in data.get("hints", {}).items() if key != "optimizer"}
        found |= {data["title"], *data.get("notes", []), *hints.values()}
        lines = data.get("learning_rate_check", {}).get("lines", {})
        found |= {line["meaning"] for line in lines.values()}
    return found


def messages_in_code() -> set[str]:
    """Every msgid the package's code passes to _(), N_() or ngettext() (by an AST walk), and
    the reference texts it translates."""
    found = messages_in_references()
    for path in (REPO_ROOT / "tf1_mnist").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                count = MARKERS.get(node.func.id, 0)
                # _(a_variable) translates a constant marked with N_() where it is defined
                found |= {a.value for a in node.args[:count] if isinstance(a, ast.Constant)}
    return found


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string is a C string; ours use Python's escapes only


def read_po(path: Path) -> dict[str, list[str]]:
    """msgid -> its translations (one, or one per plural form), from a .po file."""
    entries: dict[str, list[str]] = {}
    key, msgid, msgstrs = None, None, []

    def flush() -> None:
        if msgid is not None:
            entries[msgid] = msgstrs

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstrs, key = _unquote(line[6:]), [], "msgid"
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            msgstrs.append(_unquote(line.split(" ", 1)[1]))
            key = "msgstr"
        elif line.startswith('"') and key == "msgid":
            msgid += _unquote(line)
        elif line.startswith('"') and key == "msgstr":
            msgstrs[-1] += _unquote(line)
    flush()
    return entries


def test_every_message_of_the_code_is_translated() -> None:
    catalog = read_po(PO)
    used = messages_in_code()
    assert len(used) > 50
    assert sorted(used - set(catalog)) == []  # missing from the catalog
    assert sorted(set(catalog) - used - {""}) == []  # left over in the catalog
    for msgid, msgstrs in catalog.items():
        assert all(msgstrs), msgid
        # the same placeholders in both languages (str.format would fail on a misspelt one)
        fields = {part.split("}")[0] for part in msgid.split("{")[1:]}
        for msgstr in msgstrs:
            assert {part.split("}")[0] for part in msgstr.split("{")[1:]} == fields, msgid


def test_the_mo_is_compiled_from_the_po() -> None:
    with open(MO, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = read_po(PO)
    for msgid, msgstrs in catalog.items():
        if msgid and len(msgstrs) == 1:
            assert compiled.gettext(msgid) == msgstrs[0], msgid
    plural = next(msgid for msgid, msgstrs in catalog.items() if len(msgstrs) == 3)
    assert compiled.ngettext(plural, plural + "s", 22) == catalog[plural][1]
    assert compiled.ngettext(plural, plural + "s", 25) == catalog[plural][2]
    assert len(compiled._catalog) == sum(len(m) for m in catalog.values())  # nothing else in it


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ({"args": ["--lang", "pl"], "env": {}}, "Nie ma skryptu"),
        ({"args": [], "env": {"LANG": "pl_PL.UTF-8", "LANGUAGE": ""}}, "Nie ma skryptu"),
        (
            {"args": [], "env": {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": ""}},
            "There is no script",
        ),
    ],
    ids=["--lang pl", "LANG=pl_PL", "English"],
)
def test_a_users_error_in_the_users_language(how: dict, message: str, tmp_path: Path) -> None:
    result = run_cli(*how["args"], "run", "nowhere.py", env=how["env"], cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    if message.startswith("Nie"):
        assert lines[0].startswith("tf1_mnist: błąd: ")
    else:
        assert_one_clear_error(result.stderr, "nowhere.py")


def test_lang_after_the_command_too(tmp_path: Path) -> None:
    result = run_cli("grade", "--lang", "pl", str(tmp_path / "brak"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Nie ma pliku ani folderu" in result.stderr


def test_a_data_error_in_polish(tmp_path: Path) -> None:
    (tmp_path / "dane").write_text("not a folder")
    result = run_cli(
        "--lang", "pl", "train", "--data-dir", str(tmp_path / "dane"), "--out", str(tmp_path / "r")
    )
    assert result.returncode == 1
    assert "dane jest plikiem; wskaż w --data-dir" in result.stderr, result.stderr


SOLUTION_LOGS = REPO_ROOT / "tests" / "fixtures" / "solutions"


@pytest.mark.parametrize(
    ("args", "verdict"),
    [
        (["--lang", "pl"], "ZGODNY z samouczkiem: porównano 7 kroków"),
        ([], "AGREES with the tutorial"),
    ],
    ids=["pl", "English by default"],
)
def test_compare_gives_its_verdict_in_the_users_language(args: list[str], verdict: str) -> None:
    result = run_cli(*args, "compare", str(SOLUTION_LOGS / "faithful_2_str.log"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith(verdict), lines[-1]
    assert ("werdykt" in result.stdout) == (args != [])  # the table's own words too


def test_compare_names_a_cause_in_polish() -> None:
    result = run_cli("--lang", "pl", "compare", str(SOLUTION_LOGS / "wrong_reduce_sum.log"))
    assert result.returncode == 1, result.stderr
    causes = [line for line in result.stdout.splitlines() if line.startswith("prawdopodobna")]
    # the factor and the image count as a Polish teacher writes them: 10 000, not 10,000
    assert causes[0].startswith(
        "prawdopodobna przyczyna: Trn loss w #0 się zgadza, a Tst loss jest 100 razy większa"
    ), causes
    assert "na 10\u00a0000 obrazów testowych" in causes[0]
    assert result.stdout.splitlines()[-1].startswith("NIEZGODNY z samouczkiem")


def test_grade_takes_compares_cause_in_the_users_language() -> None:
    from tf1_mnist import compare, grade
    from tf1_mnist.i18n import set_language

    text = (SOLUTION_LOGS / "wrong_lr_0_5.log").read_text()
    set_language("pl")
    try:
        comparison = compare.judge(text, "single_layer", "wrong_lr_0_5.log")
        cause = grade.cause_of(comparison)
    finally:
        set_language(None)
    assert cause == comparison.cause
    assert cause.startswith("Straty stają się NaN między #0 a #100: uczenie się rozbiegło")
    assert "dużo większy niż 0,005 z samouczka" in cause  # a decimal comma in Polish prose
