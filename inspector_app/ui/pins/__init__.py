"""Followed values (issue 15): the tab charting pinned values across saves. Imports pyqtgraph:
import :mod:`inspector_app.ui.pins.panel` only when the tab is built."""
