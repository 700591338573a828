"""Compare two saves: :class:`CompareView` and the non-modal :class:`CompareDialog`."""
from .compare_view import CompareDialog, CompareOutcome, CompareView
from .diff_model import DiffTreeModel
from .summary_model import SemanticSummaryModel

__all__ = ["CompareDialog", "CompareOutcome", "CompareView", "DiffTreeModel", "SemanticSummaryModel"]
