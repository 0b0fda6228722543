"""Writing tables as CSV that a spreadsheet can open safely (CSV injection, OWASP)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

# What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
_FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(data: pa.RecordBatch | pa.Table) -> pa.RecordBatch | pa.Table:
    """`data` with a `'` before every text cell that a spreadsheet would run as a formula
    (`=cmd|' /C calc'!A0`, `+1+1`, `@SUM(...)`, `-2+3`), so it is shown, not run. Numbers
    are not text here, so a negative number keeps its sign."""
    columns = []
    for column in data.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.match_substring_regex(column, _FORMULA_START)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return type(data).from_arrays(columns, schema=data.schema)
