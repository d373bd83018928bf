"""`wes-central import-orders`: run an order import from a file, drawing progress on stderr and printing the report."""
import sys
from typing import TextIO

BAR_WIDTH = 30
PLAIN_STEPS = 10  # without a terminal, one line per tenth of the file


class ProgressBar:
    """Draw rows done of total: one redrawn bar on a terminal, plain lines otherwise (logs, pipes)."""

    def __init__(self, out: TextIO):
        self.out, self.tty = out, out.isatty()
        self._last_step = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            filled = BAR_WIDTH * done // total
            self.out.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} rows")
            if done == total:
                self.out.write("\n")
        else:
            step = PLAIN_STEPS * done // total
            if step == self._last_step:
                return
            self._last_step = step
            self.out.write(f"imported {done}/{total} rows ({100 * done // total}%)\n")
        self.out.flush()


def run_import(db_path: str, path: str, operator: str = "", out: TextIO = sys.stdout,
               err: TextIO = sys.stderr) -> int:
    """Import the file into the database; return 0 if every order was imported, 1 if some were refused."""
    from central.adapters.order_csv import BadOrderFile, parse_order_csv
    from central.adapters.sqlite_imports import SqliteImportLog
    from central.bootstrap import bootstrap_bus, migrate
    from central.service.order_imports import import_orders

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text; save it as CSV UTF-8") from None
    try:
        rows, groups = parse_order_csv(text)
    except BadOrderFile as error:
        raise ValueError(f"{path}: {error}") from None
    migrate(db_path)
    outcome = import_orders(groups, rows, bootstrap_bus(db_path).handle, SqliteImportLog(db_path),
                            file_name=path, operator=operator, on_progress=ProgressBar(err))
    out.write(f"{outcome.import_id}: {len(outcome.order_ids)} order(s) imported, {outcome.refused} refused, "
              f"{rows} row(s) read\n")
    for fault in outcome.errors:
        column = f" [{fault.field}]" if fault.field else ""
        out.write(f"row {fault.row} ({fault.external_order_id or '-'}){column}: {fault.message}\n")
    if outcome.refused:
        out.write("Fix the rows above and import the file again: orders already imported are refused as "
                  "duplicates, the others are imported.\n")
    return 1 if outcome.refused else 0
