"""Qt rendering without widgets: charts drawn with QtGui (QImage + QPainter) for the GUI's exports
and the headless CLIs alike — the one home for PNG charts of reports. Uses an existing
QGuiApplication/QApplication, or makes an offscreen QGuiApplication when there is none (CLI).

Layering: the core never imports this package; the CLIs may (for ``--format png``), the UI may.
"""
