"""Thin Kivy screens: copy presenter state onto properties, forward events. One .kv per screen."""
from pathlib import Path

KV_DIR = Path(__file__).parent
TONE_COLOURS = {"good": (0.10, 0.55, 0.20, 1), "bad": (0.75, 0.10, 0.10, 1), "info": (0.20, 0.22, 0.26, 1)}
