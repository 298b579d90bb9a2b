"""House rules of the code, checked: the form's words live in parsers/form/data, not in the
extractors; modules and functions stay small enough to read."""
import ast
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
EXTRACTOR_CODE = [ROOT / "parsers" / "extract", ROOT / "pipeline" / "ingest"]
MAX_LITERALS = 30
_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー]{2,}")


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def japanese_literals(path: Path) -> list[str]:
    """String constants of a module with Japanese in them, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and _JAPANESE.search(node.value)]


def _modules(roots):
    return [p for root in roots for p in sorted(root.rglob("*.py"))]


def test_the_form_lives_in_data_not_in_extractor_code():
    found = {p.relative_to(ROOT).as_posix(): japanese_literals(p) for p in _modules(EXTRACTOR_CODE)}
    total = sum(map(len, found.values()))
    assert total <= MAX_LITERALS, {k: v for k, v in found.items() if v}


def test_no_literal_is_one_samples_wording():
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    words = {w for p in _modules(EXTRACTOR_CODE) for lit in japanese_literals(p) for w in _JAPANESE.findall(lit)}
    single = sorted(w for w in words if sum(w in s for s in samples) == 1)
    assert not single, single


def test_the_counter_sees_literals_but_not_docstrings(tmp_path):
    code = tmp_path / "m.py"
    code.write_text('"""変更箇所 の説明"""\nX = "変更箇所"\ndef f():\n    """提出時期"""\n    return "事前"\n', encoding="utf-8")
    assert japanese_literals(code) == ["変更箇所", "事前"]


CODE = [ROOT / "parsers", ROOT / "pipeline", ROOT / "normalizers"]
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60  # branch points (at most 20) are ruff's C901/PLR0912


def test_modules_and_functions_stay_small():
    too_big = []
    for path in _modules(CODE):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if text.count("\n") > MAX_MODULE_LINES:
            too_big.append(f"{name}: {text.count(chr(10))} lines")
        too_big += [f"{name}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"
                    for node in ast.walk(ast.parse(text)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not too_big, too_big


def test_the_readme_names_one_existing_module_per_stage():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## How it works"):text.index("**Extractors.**")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| stage")]
    stages = {row.split("|")[1].strip(): regex.search(r"\[`([^`]+)`\]\(([^)]+)\)", row) for row in rows}
    assert set(stages) == {"read", "layout", "sections", "align", "extract", "normalise", "write"}
    for stage, link in stages.items():
        assert link and link.group(1) == link.group(2) and (ROOT / link.group(2)).is_file(), stage
