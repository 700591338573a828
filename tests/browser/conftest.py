"""The GUI tests here use the main-window fixture of tests/ui."""
from ui.conftest import window  # noqa: F401 - a pytest fixture, re-exported for tests/browser
