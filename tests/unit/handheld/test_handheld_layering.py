"""Presenters stay headless: importing them loads neither Kivy nor sqlite3 (issue 3, STYLE.md section 3)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_presenters_import_no_kivy_and_no_sqlite3():
    code = ("import sys; import handheld.presenters.pick, handheld.presenters.signin, handheld.presenters.pack, "
            "handheld.presenters.status; print(sorted(m for m in ('kivy', 'sqlite3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_kv_files_hold_only_one_call_handlers():
    for kv in (ROOT / "handheld" / "screens").glob("*.kv"):
        handlers = [line.split(":", 1)[1].strip() for line in kv.read_text().splitlines()
                    if line.strip().startswith("on_")]
        assert all(h.count("(") == 1 and ";" not in h and " if " not in h for h in handlers), kv.name
