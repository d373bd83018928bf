"""Repositories that save less than they read: tasks write only changed columns, an order read without its lines
keeps them when saved."""
import sqlite3

from edge.adapters.sqlite_repositories import SAVED_TASK_COLUMNS
from edge.adapters.sqlite_uow import SqliteUnitOfWork


def stored(db_path: str, task_id: str) -> dict:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute(f"SELECT {', '.join(SAVED_TASK_COLUMNS)} FROM tasks WHERE task_id = ?", [task_id])
        return dict(row.fetchone())
    finally:
        conn.close()


def saved(task) -> dict:
    return {column: getattr(task, column) for column in SAVED_TASK_COLUMNS}


def test_two_copies_of_a_task_saved_in_turn_leave_every_column_as_the_last_copy_says(db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    with SqliteUnitOfWork(db_path) as uow:
        (first,) = uow.tasks.for_order("SO-1")
        second = uow.tasks.get(first.task_id)
        first.status, first.picker, first.device_id, first.picked_qty = "at_location", "BADGE-0001", "HH-01", 2
        uow.tasks.save(first)
        second.lease_epoch, second.postponed_by = 4, "BADGE-0002"  # read before the first save: status still open
        uow.tasks.save(second)
        uow.commit()
    assert stored(db_path, first.task_id) == saved(second)
    assert stored(db_path, first.task_id)["status"] == "open" and stored(db_path, first.task_id)["picked_qty"] == 0


def test_a_task_saved_unchanged_or_changed_reads_back_as_saved(db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    with SqliteUnitOfWork(db_path) as uow:
        (task,) = uow.tasks.for_order("SO-1")
        uow.tasks.save(task)
        task.picked_qty, task.short_reason = 1, "damaged"
        uow.tasks.save(task)
        uow.commit()
    with SqliteUnitOfWork(db_path) as uow:
        assert saved(uow.tasks.get(task.task_id)) == saved(task) == stored(db_path, task.task_id)


def test_an_order_read_without_its_lines_and_saved_keeps_its_lines(db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    with SqliteUnitOfWork(db_path) as uow:
        order = uow.orders.get("SO-1", lines=False)
        assert order.lines == []
        order.status = "picking"
        uow.orders.save(order)
        uow.commit()
    with SqliteUnitOfWork(db_path) as uow:
        order = uow.orders.get("SO-1")
    assert order.status == "picking"
    assert [(line.sku, line.qty) for line in order.lines] == [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)]
