"""Render ZPL to PNG offline with the pinned zpl-renderer-js (tools/label-renderer), for previews and tests."""
import os
import shutil
import subprocess
from pathlib import Path

from protocols.labels import LabelSize, PrinterResolution

RENDERER_ENV = "WES_LABEL_RENDERER"
DEFAULT_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "label-renderer" / "render_zpl.cjs"
INSTALL_HINT = "Run deploy/install-label-renderer.sh (needs node and npm) to install the label renderer."


class RendererUnavailable(RuntimeError):
    """Raise when node or the renderer package is missing; str(err) says how to install it."""


class RendererFailed(RuntimeError):
    """Raise when the renderer ran but gave no PNG (or took too long)."""


def renderer_script() -> Path:
    """Return the render_zpl.cjs to use (WES_LABEL_RENDERER overrides the one in this checkout)."""
    return Path(os.environ.get(RENDERER_ENV) or DEFAULT_SCRIPT)


def renderer_problem() -> str | None:
    """Say why previews cannot be rendered here, or None when they can."""
    script = renderer_script()
    if shutil.which("node") is None:
        return f"node is not installed. {INSTALL_HINT}"
    if not script.is_file():
        return f"{script} is missing. {INSTALL_HINT}"
    if not (script.parent / "node_modules" / "zpl-renderer-js").is_dir():
        return f"zpl-renderer-js is not installed next to {script.name}. {INSTALL_HINT}"
    return None


def render_png(zpl: str, size: LabelSize, resolution: PrinterResolution, timeout: float = 30.0) -> bytes:
    """Return the PNG of one ZPL label as the renderer sees it."""
    problem = renderer_problem()
    if problem:
        raise RendererUnavailable(problem)
    script = renderer_script()
    try:
        result = subprocess.run(
            ["node", str(script), str(size.width_mm), str(size.height_mm), str(resolution.dpmm)],
            input=zpl.encode("utf-8"), capture_output=True, timeout=timeout, cwd=script.parent)
    except subprocess.TimeoutExpired:
        raise RendererFailed(f"The label renderer took longer than {timeout:g} s. Try again.") from None
    if result.returncode != 0 or not result.stdout.startswith(b"\x89PNG"):
        raise RendererFailed(f"The label renderer failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
