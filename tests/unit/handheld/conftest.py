"""Let the handheld unit tests import their fakes by module name."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
